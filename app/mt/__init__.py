"""Offline machine translation with Argos Translate models installed from files.

    from app.mt import engine_for, translate_text

    engine = engine_for(models_dir)          # ArgosTranslation, a MachineTranslation
    engine.install(Path("translate-en_ms-1_0.argosmodel"))
    engine.installed()                       # [ModelInfo(name, source, target, version, size, ...)]
    engine.available_pairs()                 # [("en", "ms"), ...] direct or through a pivot
    translate_text("Hello.", "en", "ms", models_dir)   # str, or None without a model
    engine.remove("translate-en_ms-1_0")

Nothing here uses the network; see app/mt/argos.py for how argostranslate is kept offline.
"""

from app.mt.argos import (
    ArgosTranslation,
    RuleSentencizer,
    default_models_dir,
    engine_for,
    translate_text,
)
from app.mt.base import (
    MachineTranslation,
    MachineTranslationError,
    ModelFileError,
    ModelInfo,
    NoModel,
    Route,
    TranslationFailed,
    UnknownModel,
    language_name,
    needed_model_message,
)

__all__ = [
    "ArgosTranslation",
    "MachineTranslation",
    "MachineTranslationError",
    "ModelFileError",
    "ModelInfo",
    "NoModel",
    "Route",
    "RuleSentencizer",
    "TranslationFailed",
    "UnknownModel",
    "default_models_dir",
    "engine_for",
    "language_name",
    "needed_model_message",
    "translate_text",
]
