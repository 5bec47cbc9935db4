"""The chain model: data classes, validation and the JSON and Excel formats (no Qt)."""

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
