"""TFB501 tfp-layers-in-keras3: tfp.layers inside a Keras 3 model, which TF >= 2.16 rejects."""

from __future__ import annotations

from typing import Iterator, Optional, Tuple

from tflint_bnn.analysis.names import keras_package
from tflint_bnn.findings import Applicability, Edit, Finding, FixPlan
from tflint_bnn.fixes.tf_keras import Migration, migrate
from tflint_bnn.fixes.view import CstView
from tflint_bnn.program.facts import ModuleFacts
from tflint_bnn.program.values import LayerInfo
from tflint_bnn.rules.base import Invalid, Rule
from tflint_bnn.rules.messages import shorten

class TfpLayersInKeras3(Rule):
    code = "TFB501"
    name = "tfp-layers-in-keras3"
    summary = "tfp.layers in a Keras 3 model (tf.keras on TF >= 2.16, or standalone keras)"
    fix_safety = (Applicability.SAFE,)

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
                "model = keras.Sequential([keras.layers.Dense(16), tfp.layers.DenseFlipout(1)])\n",
                ((4, 8), (4, 78)),
                'tfp.layers.DenseFlipout in a tf.keras model (`tensorflow.keras.Sequential`): on TF >= 2.16 tf.keras '
                'is Keras 3, which rejects TFP layers, which are built on tf_keras ("Only instances of keras.Layer '
                'can be added"). Use tf_keras (`import tf_keras as keras`, package tf-keras) or set '
                'TF_USE_LEGACY_KERAS=1 before importing TensorFlow'),
        Invalid("import keras\nimport tensorflow_probability as tfp\n\n"
                "inputs = keras.Input((4,))\nhidden = tfp.layers.DenseFlipout(8)(inputs)\n"
                "model = keras.Model(inputs, keras.layers.Dense(1)(hidden))\n"
                "model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=\"mse\")\n",
                "import tf_keras as keras\nimport tensorflow_probability as tfp\n\n"
                "inputs = keras.Input((4,))\nhidden = tfp.layers.DenseFlipout(8)(inputs)\n"
                "model = keras.Model(inputs, keras.layers.Dense(1)(hidden))\n"
                "model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=\"mse\")\n",
                ((6, 8), (6, 58)),
                'tfp.layers.DenseFlipout in a Keras 3 model (`keras.Model`): Keras 3 rejects TFP layers, which are '
                'built on tf_keras ("Only instances of keras.Layer can be added"). Use tf_keras (`import tf_keras as '
                'keras`, package tf-keras)'),
        Invalid("import tensorflow as tf\nimport tensorflow_probability as tfp\n\n"
                "class Bayesian(tf.keras.Model):\n    def __init__(self):\n        super().__init__()\n"
                "        self.hidden = tfp.layers.DenseReparameterization(32)\n\n"
                "    def call(self, x):\n        return self.hidden(x)\n",
                "import tensorflow as tf\nimport tf_keras\nimport tensorflow_probability as tfp\n\n"
                "class Bayesian(tf_keras.Model):\n    def __init__(self):\n        super().__init__()\n"
                "        self.hidden = tfp.layers.DenseReparameterization(32)\n\n"
                "    def call(self, x):\n        return self.hidden(x)\n",
                ((4, 6), (4, 14)),
                'tfp.layers.DenseReparameterization in a tf.keras subclass (`tensorflow.keras.Model`): on TF >= 2.16 '
                'tf.keras is Keras 3, which rejects TFP layers, which are built on tf_keras ("Only instances of '
                'keras.Layer can be added"). Use tf_keras (`import tf_keras as keras`, package tf-keras) or set '
                'TF_USE_LEGACY_KERAS=1 before importing TensorFlow'),
        Invalid("import tensorflow as tf\nimport tensorflow_probability as tfp\n\n"
                "model = tf.keras.Sequential([tf.keras.layers.Dense(16), tfp.layers.DenseFlipout(1)])\n",
                "import tensorflow as tf\nimport tf_keras\nimport tensorflow_probability as tfp\n\n"
                "model = tf_keras.Sequential([tf_keras.layers.Dense(16), tfp.layers.DenseFlipout(1)])\n",
                ((4, 8), (4, 84)),
                'tfp.layers.DenseFlipout in a tf.keras model (`tensorflow.keras.Sequential`): on TF >= 2.16 tf.keras '
                'is Keras 3, which rejects TFP layers, which are built on tf_keras ("Only instances of keras.Layer '
                'can be added"). Use tf_keras (`import tf_keras as keras`, package tf-keras) or set '
                'TF_USE_LEGACY_KERAS=1 before importing TensorFlow'),
        Invalid("from tensorflow import keras\nimport tensorflow_probability as tfp\n\n"
                "class Scale(keras.Layer):\n    def call(self, x):\n        return x * 0.5\n\n"
                "model = keras.Sequential([Scale(), tfp.layers.DenseFlipout(1)])\n",
                "import tf_keras as keras\nimport tensorflow_probability as tfp\n\n"
                "class Scale(keras.layers.Layer):\n    def call(self, x):\n        return x * 0.5\n\n"
                "model = keras.Sequential([Scale(), tfp.layers.DenseFlipout(1)])\n",
                ((8, 8), (8, 63)),
                'tfp.layers.DenseFlipout in a tf.keras model (`tensorflow.keras.Sequential`): on TF >= 2.16 tf.keras '
                'is Keras 3, which rejects TFP layers, which are built on tf_keras ("Only instances of keras.Layer '
                'can be added"). Use tf_keras (`import tf_keras as keras`, package tf-keras) or set '
                'TF_USE_LEGACY_KERAS=1 before importing TensorFlow'),
        Invalid("import keras\nimport tensorflow_probability as tfp\n\n"
                "model = keras.Sequential()\nmodel.add(tfp.layers.DenseVariational(8, None, None))\n"
                "noise = keras.random.normal((3, 4))\n", None,
                ((4, 8), (4, 26)),
                'tfp.layers.DenseVariational in a Keras 3 model (`keras.Sequential`): Keras 3 rejects TFP layers, '
                'which are built on tf_keras ("Only instances of keras.Layer can be added"). Use tf_keras (`import '
                'tf_keras as keras`, package tf-keras)'),
    )

    def check(self, facts: ModuleFacts) -> Iterator[Finding]:
        hits = list(facts.tfp_in_keras3())
        if not hits:
            return
        module = facts.module
        migration = migrate(module.keras_imports, module.keras_uses, module.legacy_keras,
                            [f"`{shorten(site.code)}` loads a .keras file, which Keras 3 may have written (line "
                             f"{site.span[0][0]})" for site in facts.keras3_files_loaded()])
        fix = _fix(migration)
        withheld = ""
        if migration.blockers:
            shown = migration.blockers[:3]
            more = f" and {len(migration.blockers) - 3} more" if len(migration.blockers) > 3 else ""
            withheld = f"; no automatic fix, because this would stay Keras 3: {', '.join(shown)}{more}"
        for span, layer, qualified, container in hits:
            yield self.finding(span, self._message(layer, qualified, container) + withheld, fix)

    @staticmethod
    def _message(layer: LayerInfo, qualified: str, container: str) -> str:
        remedy = "Use tf_keras (`import tf_keras as keras`, package tf-keras)"
        if keras_package(qualified) == "keras":
            keras_name, rejects = "Keras 3", "Keras 3 rejects"
        else:
            keras_name, rejects = "tf.keras", "on TF >= 2.16 tf.keras is Keras 3, which rejects"
            remedy += " or set TF_USE_LEGACY_KERAS=1 before importing TensorFlow"
        return (f"tfp.layers.{layer.name} in a {keras_name} {container} (`{qualified}`): {rejects} TFP layers, "
                f"which are built on tf_keras (\"Only instances of keras.Layer can be added\"). {remedy}")


def _fix(migration: Migration) -> Optional[FixPlan]:
    """Safe when everything Keras in the module moves to tf_keras; none when something would stay Keras 3 (a
    module mixing both fails at run time: tf_keras layers in Keras 3 models, Keras 3 names tf_keras lacks)."""
    if migration.blockers or not migration.edits:
        return None

    def build(view: CstView) -> Optional[Tuple[Edit, ...]]:
        return migration.edits

    return FixPlan(Applicability.SAFE, "Import tf_keras instead of Keras 3", build)
