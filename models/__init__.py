"""The chain model: data classes, validation and the JSON and Excel formats (no Qt)."""

import os

# One BLAS thread, set before numpy loads (planner and ui import this package first): our
# products are small, and on a busy machine OpenBLAS's threads waiting for a core made a
# dot product of 28,000 numbers 1,000 times slower and a whole evaluation twice as slow.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

from models.chain import (
                          TABLES,
                          Assignment,
                          ChainModel,
                          Enterprise,
                          Link,
                          ProjectType,
                          Scenario,
                          Settings,
)
from models.files import Loaded, load_model, save_model
from models.problems import ImportFailed, Problem
from models.validation import places, validate

__all__ = ["TABLES", "Assignment", "ChainModel", "Enterprise", "ImportFailed", "Link", "Loaded",
           "Problem", "ProjectType", "Scenario", "Settings", "load_model", "places",
           "save_model", "validate"]
