"""Recipes of the shipped models, one module per model family.

Every module here declares ``MODELS``, a list of ``engine.zoo.ZooModel``;
``engine.zoo.models()`` collects them (see engine/zoo.py for the convention).
A recipe module holds the family's recipe dataclass(es), its ``train_*``
functions, its data generation and its accuracy / phenomenon metrics.
"""
