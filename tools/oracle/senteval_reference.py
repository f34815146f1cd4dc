"""Scores a fixed embedding file with the reference's own SentEval (kongds/scaling_sentemb's bundled copy).

The SentEval code is run as it is, from a checkout outside this repository (nothing is copied):

    git -C <mirror of kongds/scaling_sentemb> archive 8567aa083c1b3c77586670f91e7f78eb80694ad3 SentEval \
        | tar -x -C ~/.cache/sentemb-oracle/scaling_sentemb

with the reference's own test-mode parameters (evaluation.py): usepytorch, kfold 10, batch 16,
classifier nhid 0, adam, batch 64, tenacity 5, epoch_size 4. Three shims let 2017-era code run on
today's stack without changing what it computes: CUDA calls become CPU no-ops (no GPU here), NumPy's
ragged np.array(list of lists) builds an object array as NumPy < 1.24 did, and inspect.getargspec
(gone in Python 3.11) is getfullargspec.

Embeddings: either --embeddings FILE.jsonl (sentemb's `embed` format, {"text", "embedding"} a line,
keyed by the SentEval-joined sentence), or --hash-dim D: a deterministic bag of hashed words that
sentemb's tests recompute in Java (HashEmbedding), written to --write FILE.jsonl as they are used.

    python senteval_reference.py --senteval ~/.cache/sentemb-oracle/scaling_sentemb/SentEval \
        --data ../shared/data/senteval --hash-dim 48 --write /tmp/hash48.jsonl \
        --tasks STS12,...,SICKRelatedness --output sts.json
"""
import argparse
import hashlib
import inspect
import json
import logging
import os
import sys
import tempfile
import time
import types

import numpy as np
import torch

SEED_TASKS = ['STS12', 'STS13', 'STS14', 'STS15', 'STS16', 'STSBenchmark', 'SICKRelatedness',
              'MR', 'CR', 'SUBJ', 'MPQA', 'SST2', 'TREC', 'MRPC']


def hash_embedding(text, dim):
    """1.0, then the sum over the space-separated lower-cased words of SHA-256 bytes mapped to [-1, 1]."""
    v = np.zeros(dim, dtype=np.float64)
    v[0] = 1.0
    for w in text.split(' '):
        if not w:
            continue
        raw = b''
        block = 0
        while len(raw) < dim - 1:
            raw += hashlib.sha256(str(block).encode() + b'|' + w.lower().encode('utf-8')).digest()
            block += 1
        v[1:] += (np.frombuffer(raw[:dim - 1], dtype=np.uint8).astype(np.float64) - 127.5) / 127.5
    return v.astype(np.float32)


def install_shims():
    inspect.getargspec = inspect.getfullargspec
    torch.nn.Module.cuda = lambda self, device=None: self
    torch.Tensor.cuda = lambda self, *a, **k: self
    orig_to = torch.Tensor.to

    def to_cpu(self, *args, **kwargs):
        args = tuple(torch.device('cpu') if isinstance(a, torch.device) and a.type == 'cuda' else a for a in args)
        if isinstance(kwargs.get('device'), torch.device) and kwargs['device'].type == 'cuda':
            kwargs['device'] = torch.device('cpu')
        return orig_to(self, *args, **kwargs)
    torch.Tensor.to = to_cpu


def ragged_numpy():
    """A numpy stand-in whose array() accepts ragged lists as NumPy < 1.24 did (object arrays)."""
    shim = types.ModuleType('numpy_ragged')
    shim.__dict__.update({k: getattr(np, k) for k in dir(np) if not k.startswith('__')})

    def array(obj, *a, **k):
        try:
            return np.array(obj, *a, **k)
        except ValueError:
            if a or k:
                raise
            out = np.empty(len(obj), dtype=object)
            for i, x in enumerate(obj):
                out[i] = x
            return out
    shim.array = array
    return shim


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--senteval', required=True, help='the reference checkout\'s SentEval/ folder')
    ap.add_argument('--data', required=True, help='SentEval data/downstream folder')
    ap.add_argument('--tasks', required=True)
    ap.add_argument('--embeddings')
    ap.add_argument('--hash-dim', type=int)
    ap.add_argument('--write')
    ap.add_argument('--output', required=True)
    ap.add_argument('--threads', type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    logging.basicConfig(format='%(asctime)s %(message)s', level=logging.INFO)

    sys.path.insert(0, args.senteval)
    install_shims()
    import senteval
    import senteval.sts
    senteval.sts.np = ragged_numpy()

    table = {}
    if args.embeddings:
        with open(args.embeddings, encoding='utf-8') as f:
            for line in f:
                o = json.loads(line)
                table[o['text']] = np.asarray(o['embedding'], dtype=np.float32)
    written = set()
    out = open(args.write, 'a', encoding='utf-8') if args.write else None

    def batcher(params, batch, max_length=None):
        # The reference's batcher joins the words with one space (evaluation.py).
        sentences = [' '.join(s) for s in batch]
        rows = []
        for s in sentences:
            if args.embeddings:
                if s not in table:
                    raise KeyError('no embedding for %r' % s)
                rows.append(table[s])
            else:
                v = hash_embedding(s, args.hash_dim)
                rows.append(v)
                if out is not None and s not in written:
                    written.add(s)
                    out.write(json.dumps({'text': s, 'embedding': [float(x) for x in v]}, ensure_ascii=False) + '\n')
        return torch.from_numpy(np.stack(rows))

    params = {'task_path': args.data, 'usepytorch': True, 'kfold': 10, 'batch_size': 16}
    params['classifier'] = {'nhid': 0, 'optim': 'adam', 'batch_size': 64, 'tenacity': 5, 'epoch_size': 4}
    # SentEval reads <task_path>/downstream/<task>; our data folder is that downstream/ itself.
    root = tempfile.mkdtemp(prefix='senteval-')
    os.symlink(os.path.abspath(args.data), os.path.join(root, 'downstream'))
    params['task_path'] = root
    results = {}
    for task in args.tasks.split(','):
        t0 = time.time()
        se = senteval.engine.SE(params, batcher, lambda p, s: None)
        r = se.eval(task)
        wall = time.time() - t0
        if task in ('STS12', 'STS13', 'STS14', 'STS15', 'STS16'):
            results[task] = {'spearman': r['all']['spearman']['all'] * 100, 'pearson': r['all']['pearson']['all'] * 100,
                             'subsets': {k: {'spearman': v['spearman'][0] * 100, 'pearson': v['pearson'][0] * 100, 'n': v['nsamples']}
                                         for k, v in r.items() if k != 'all'}}
        elif task in ('STSBenchmark', 'SICKRelatedness', 'STSBenchmark-dev'):
            split = 'dev' if task.endswith('-dev') else 'test'
            results[task] = {'spearman': float(r[split]['spearman'][0]) * 100, 'pearson': float(r[split]['pearson'][0]) * 100,
                             'n': int(r[split]['nsamples'])}
        else:
            results[task] = {k: (float(v) if isinstance(v, (int, float, np.floating)) else v) for k, v in r.items()}
        results[task]['wall_seconds'] = wall
        logging.info('%s: %s', task, results[task])
        with open(args.output, 'w') as f:
            json.dump({'senteval_commit': '8567aa083c1b3c77586670f91e7f78eb80694ad3', 'hash_dim': args.hash_dim,
                       'embeddings': args.embeddings, 'torch': torch.__version__, 'numpy': np.__version__,
                       'results': results}, f, indent=1, sort_keys=True)
    if out is not None:
        out.close()


if __name__ == '__main__':
    main()
