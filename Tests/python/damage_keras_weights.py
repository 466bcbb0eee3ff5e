"""Writes a copy of a Keras .h5 model with one weight set to NaN (for the non-finite-weights tests).

  damage_keras_weights.py SRC DST     prints the path of the dataset it damaged (the first conv kernel)
"""
import shutil
import sys

import h5py
import numpy as np

source, target = sys.argv[1], sys.argv[2]
shutil.copyfile(source, target)
with h5py.File(target, "r+") as f:
    names = []
    f["model_weights"].visit(lambda name: names.append(name) if name.endswith("kernel:0") else None)
    name = sorted(names)[0]
    dataset = f["model_weights"][name]
    values = dataset[...]
    values.flat[0] = np.nan
    dataset[...] = values
    print("model_weights/" + name)
