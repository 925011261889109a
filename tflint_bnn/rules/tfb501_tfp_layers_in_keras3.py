"""TFB501 tfp-layers-in-keras3: tfp.layers inside a Keras 3 model, which TF >= 2.16 rejects."""

from __future__ import annotations

from typing import Iterator, Optional, Tuple

import libcst as cst

from tflint_bnn.analysis.keras_versions import KERAS3, KerasVersions, keras_package
from tflint_bnn.analysis.models import FUNCTIONAL, SEQUENTIAL
from tflint_bnn.analysis.names import keras_tail, last_part
from tflint_bnn.analysis.syntax import encloses, walk
from tflint_bnn.analysis.values import LayerInfo
from tflint_bnn.findings import Applicability, Finding, Fix
from tflint_bnn.fixes.tf_keras import Migration, migrate_to_tf_keras
from tflint_bnn.rules.base import Invalid, Rule
from tflint_bnn.triage import AstFacts

# Keras classes a subclass of which can hold tfp layers as sublayers.
_CONTAINER_BASES = {"Model", "Sequential", "Layer"}
_MAX_LISTED = 3


class TfpLayersInKeras3(Rule):
    code = "TFB501"
    name = "tfp-layers-in-keras3"
    summary = "tfp.layers in a Keras 3 model (tf.keras on TF >= 2.16, or standalone keras)"
    fix_safety = (Applicability.SAFE, Applicability.UNSAFE)

    VALID = (
        "import tf_keras as keras\nimport tensorflow_probability as tfp\n\n"
        "model = keras.Sequential([keras.Input((8,)), tfp.layers.DenseFlipout(1)])\n",
        "import os\nos.environ[\"TF_USE_LEGACY_KERAS\"] = \"1\"\n\nimport tensorflow as tf\n"
        "import tensorflow_probability as tfp\n\n"
        "model = tf.keras.Sequential([tfp.layers.DenseReparameterization(16), tf.keras.layers.Dense(1)])\n",
        "from tensorflow import keras\nimport tensorflow_probability as tfp\n\n"
        "model = keras.Sequential([keras.layers.Dense(16), keras.layers.Dense(2)])\n"
        "dist = tfp.distributions.Normal(loc=0.0, scale=1.0)\n",
        "import os\nos.environ.setdefault(\"TF_USE_LEGACY_KERAS\", \"1\")\nfrom tensorflow import keras\n"
        "import tensorflow_probability as tfp\n\n"
        "inputs = keras.Input((4,))\noutputs = tfp.layers.DenseFlipout(1)(inputs)\n"
        "model = keras.Model(inputs, outputs)\n",
    )
    INVALID = (
        Invalid("from tensorflow import keras\nimport tensorflow_probability as tfp\n\n"
                "model = keras.Sequential([keras.layers.Dense(16), tfp.layers.DenseFlipout(1)])\n",
                "import tf_keras as keras\nimport tensorflow_probability as tfp\n\n"
                "model = keras.Sequential([keras.layers.Dense(16), tfp.layers.DenseFlipout(1)])\n"),
        Invalid("import keras\nimport tensorflow_probability as tfp\n\n"
                "inputs = keras.Input((4,))\nhidden = tfp.layers.DenseFlipout(8)(inputs)\n"
                "model = keras.Model(inputs, keras.layers.Dense(1)(hidden))\n"
                "model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=\"mse\")\n",
                "import tf_keras as keras\nimport tensorflow_probability as tfp\n\n"
                "inputs = keras.Input((4,))\nhidden = tfp.layers.DenseFlipout(8)(inputs)\n"
                "model = keras.Model(inputs, keras.layers.Dense(1)(hidden))\n"
                "model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=\"mse\")\n"),
        Invalid("import tensorflow as tf\nimport tensorflow_probability as tfp\n\n"
                "class Bayesian(tf.keras.Model):\n    def __init__(self):\n        super().__init__()\n"
                "        self.hidden = tfp.layers.DenseReparameterization(32)\n\n"
                "    def call(self, x):\n        return self.hidden(x)\n"),
        Invalid("import keras\nimport tensorflow_probability as tfp\n\n"
                "model = keras.Sequential()\nmodel.add(tfp.layers.DenseVariational(8, None, None))\n"
                "noise = keras.random.normal((3, 4))\n",
                "import tf_keras as keras\nimport tensorflow_probability as tfp\n\n"
                "model = keras.Sequential()\nmodel.add(tfp.layers.DenseVariational(8, None, None))\n"
                "noise = keras.random.normal((3, 4))\n"),
    )

    def may_apply(self, facts: AstFacts) -> bool:
        return facts.names_any("tensorflow_probability") and facts.names_any(
            *SEQUENTIAL, *FUNCTIONAL, *_CONTAINER_BASES)

    def check(self, analysis) -> Iterator[Finding]:
        versions = KerasVersions(analysis)
        hits = []  # (where, message, the expression naming the Keras class)
        flagged_classes = []
        for classdef in (node for node in walk(analysis.module) if isinstance(node, cst.ClassDef)):
            base = analysis.keras_base_of(classdef)
            if base is None or last_part(base[0]) not in _CONTAINER_BASES or not versions.runs_keras3(base[1]):
                continue
            layers = [layer for call in walk(classdef.body) if isinstance(call, cst.Call)
                      for layer in [analysis.evaluator.layer(call)] if layer is not None and layer.tfp]
            if layers:
                flagged_classes.append(classdef)
                hits.append((classdef.name, self._message(layers[0], base[1], "subclass"),
                             _keras_base_expression(analysis, classdef, base[1])))
        for call, qualified in _keras3_model_constructors(analysis, versions):
            if any(encloses(classdef, call, analysis.parent) for classdef in flagged_classes):
                continue
            model = analysis.evaluator.model(call)
            layers = [layer for layer in (model.layers if model else ()) if layer.tfp]
            if layers:
                hits.append((call, self._message(layers[0], qualified, "model"), call.func))
        migration = migrate_to_tf_keras(analysis, versions) if hits else None
        for node, message, keras_expr in hits:
            model_import = versions.import_behind(keras_expr) if keras_expr is not None else None
            yield self.finding(analysis, node, message, _fix(migration, model_import))

    @staticmethod
    def _message(layer: LayerInfo, qualified: str, container: str) -> str:
        remedy = "Use tf_keras (`import tf_keras as keras`, package tf-keras)"
        if keras_package(qualified) == KERAS3:
            keras_name, rejects = "Keras 3", "Keras 3 rejects"
        else:
            keras_name, rejects = "tf.keras", "on TF >= 2.16 tf.keras is Keras 3, which rejects"
            remedy += " or set TF_USE_LEGACY_KERAS=1 before importing TensorFlow"
        return (f"tfp.layers.{layer.name} in a {keras_name} {container} (`{qualified}`): {rejects} TFP layers, "
                f"which are built on tf_keras (\"Only instances of keras.Layer can be added\"). {remedy}")


def _keras3_model_constructors(analysis, versions: KerasVersions) -> Iterator[Tuple[cst.Call, str]]:
    for call in analysis.calls:
        for qualified in sorted(analysis.qualified_names(call.func)):
            if keras_tail(qualified) in SEQUENTIAL | FUNCTIONAL and versions.runs_keras3(qualified):
                yield call, qualified
                break


def _keras_base_expression(analysis, classdef: cst.ClassDef, qualified: str,
                           depth: int = 0) -> Optional[cst.BaseExpression]:
    """The base-class expression that names the Keras class `qualified`, through local base classes."""
    for base in classdef.bases:
        if qualified in analysis.qualified_names(base.value):
            return base.value
        local = analysis.definition_of(base.value) if isinstance(base.value, cst.Name) else None
        if isinstance(local, cst.ClassDef) and depth < 10:
            found = _keras_base_expression(analysis, local, qualified, depth + 1)
            if found is not None:
                return found
    return None


def _fix(migration: Migration, model_import) -> Optional[Fix]:
    if model_import not in migration.rewritten:
        return None  # the model stays Keras 3 (`tf.keras.Sequential` through `import tensorflow as tf`)
    if not migration.mixed:
        return Fix(Applicability.SAFE, "Import tf_keras instead of Keras 3", migration.edits)
    listed = ", ".join(migration.mixed[:_MAX_LISTED]) + (", ..." if len(migration.mixed) > _MAX_LISTED else "")
    return Fix(Applicability.UNSAFE, f"Import tf_keras instead of Keras 3 (the module mixes Keras 3 code, which "
               f"stays Keras 3 or has no tf_keras counterpart: {listed})", migration.edits)
