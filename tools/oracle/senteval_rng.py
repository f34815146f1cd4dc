"""Prints the draws SentEval's PyTorchClassifier makes with seed 1111 (numpy's legacy permutations, torch's
nn.Linear initialisation), the expected values of sentemb-eval's Mt19937Test."""
import numpy as np
import torch

np.random.seed(1111)
print(np.random.permutation(10).tolist())
print(np.random.permutation(7).tolist())
print(np.random.permutation(100)[:10].tolist())
torch.manual_seed(1111)
lin = torch.nn.Linear(576, 2)
with torch.no_grad():
    print([float(x) for x in lin.weight.flatten()[:4]], float(lin.weight.flatten()[-1]), [float(x) for x in lin.bias])
print("numpy", np.__version__, "torch", torch.__version__)
