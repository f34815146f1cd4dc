"""scikit-learn's StratifiedKFold(shuffle=True, random_state=1111) folds, as SentEval draws them.

SentEval (tools/validation.py) splits the samples, sorted as each task sorts them, with
StratifiedKFold(n_splits=10, shuffle=True, random_state=1111); a fresh RandomState(1111) per split() call.
sentemb's StratifiedFolds must give the same test fold for every sample. This writes, for a few label
vectors (binary and six-class, balanced and not, in sorted-by-label and interleaved orders), the fold
index of each sample to sentemb-eval/src/test/resources/oracle/stratified_folds.json.

    python fold_fixtures.py
"""
import json
import os

import numpy as np
import sklearn
from sklearn.model_selection import StratifiedKFold

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'sentemb-eval', 'src', 'test', 'resources', 'oracle',
                   'stratified_folds.json')


def folds(y, k, seed):
    f = np.full(len(y), -1)
    for i, (_, test) in enumerate(StratifiedKFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y)):
        f[test] = i
    return [int(v) for v in f]


def main():
    rng = np.random.RandomState(7)
    cases = {
        'binary_sorted_23': [0] * 11 + [1] * 12,
        'binary_interleaved_1000': [int(v) for v in rng.randint(0, 2, 1000)],
        'binary_unbalanced_3775': [int(v) for v in (rng.rand(3775) < 0.64)],
        'one_first_then_zero_137': [1] * 90 + [0] * 47,
        'trec_like_545': [int(v) for v in rng.choice(6, 545, p=[0.02, 0.22, 0.23, 0.22, 0.15, 0.16])],
    }
    out = {'sklearn': sklearn.__version__, 'numpy': np.__version__, 'seed': 1111, 'k': 10, 'cases': {}}
    for name, y in cases.items():
        out['cases'][name] = {'labels': y, 'folds': folds(np.asarray(y), 10, 1111)}
    with open(OUT, 'w') as f:
        json.dump(out, f)
    print('wrote', os.path.normpath(OUT))


if __name__ == '__main__':
    main()
