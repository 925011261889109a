"""The evaluator: import resolution under every alias, row estimates, and what is known of models."""

import textwrap

import pytest

from tflint_bnn.engine import summarise
from tflint_bnn.program.facts import ProgramFacts
from tflint_bnn.program.values import ModelInfo, Rows


def last_value(source: str, assume_loaded_arrays_large: bool = True):
    """The value the evaluator gives the module's last expression statement."""
    lines = textwrap.dedent(source).strip().split("\n")
    lines[-1] = "value_of_the_test = " + lines[-1]
    facts = ProgramFacts({"": summarise("\n".join(lines) + "\n")}, assume_loaded_arrays_large)
    return facts.evaluator.module_name("", "value_of_the_test")


def rows(source: str, **options):
    value = last_value(source, **options)
    return getattr(value, "count", None), getattr(value, "loaded", False)


NP = "import numpy as np\n"
TOKENIZER = ("from tensorflow.keras.preprocessing.sequence import pad_sequences\n"
             "from tensorflow.keras.preprocessing.text import Tokenizer\ntokenizer = Tokenizer()\n")


@pytest.mark.parametrize("source, count", [
    (NP + "np.zeros((5000, 3))", 5000),
    # a frame stack gets a new channel; along axis 0 the rows add up; without an axis it is one flat vector
    (NP + "np.append(np.zeros((1, 64, 64, 1)), np.zeros((1, 64, 64, 3)), axis=3)", 1),
    (NP + "np.append(np.zeros((300, 4)), np.zeros((20, 4)), axis=0)", 320),
    (NP + "np.append(np.zeros((300, 4)), np.zeros((20, 4)))", None),
    (NP + "N = 2_000\nD = 8\nnp.ones((N * 2, D))", 4000),
    (NP + "np.random.rand(300, 4)", 300),
    (NP + "np.random.normal(0, 1, size=(70, 2))", 70),
    (NP + "rng = np.random.default_rng(0)\nrng.standard_normal((1234, 5)).astype('float32')", 1234),
    (NP + "rng = np.random.default_rng(0)\nrng.normal(size=(99, 5))", 99),
    (NP + "x = np.zeros((10_000, 4))\nx = x / 255.0\nx", 10_000),
    (NP + "x = np.zeros((10_000, 4))\nx.reshape(-1, 2, 2)", 10_000),
    (NP + "x = np.zeros((10_000, 4))\nx.reshape(20_000, 2)", 20_000),
    (NP + "x = np.zeros((10_000, 4))\nx[:64]", 64),
    (NP + "x = np.zeros((10_000, 4))\nx[-10:]", 10),
    (NP + "x = np.zeros((10_000, 4))\nx[9_000:]", 1_000),
    (NP + "x = np.zeros((10_000, 4))\nx[::2]", 5_000),
    (NP + "x = np.zeros((10_000, 4))\nx[i:i + 128]", 128),
    (NP + "x = np.zeros((10_000, 4))\nb = 32\nx[i * b:(i + 1) * b]", 32),
    (NP + "x = np.zeros((10_000, 4))\nx[7]", 1),
    (NP + "x = np.zeros((10_000, 4))\nx[None]", 1),
    (NP + "x = np.zeros((10_000, 4))\nnp.expand_dims(x[3], 0)", 1),
    (NP + "x = np.zeros((10_000, 4))\nnp.expand_dims(x, -1)", 10_000),
    (NP + "x = np.zeros((10_000, 4))\nnp.concatenate([x, x])", 20_000),
    (NP + "x = current()\nx.reshape((1,) + x.shape)", 1),  # a batch of one, whatever x is
    # one image read from disk, batched by a reshape with -1: one row; reshaped to pixels: not rows of images
    (NP + "import cv2\nimg = cv2.resize(cv2.imread('a.jpg'), (160, 160))\nimg = img.astype('float32') / 255.0\n"
          "np.reshape(img, (-1, 160, 160, 3))", 1),
    ("from tensorflow.keras.preprocessing import image\n"
     "img = image.img_to_array(image.load_img('a.jpg', target_size=(224, 224)))\nimg.reshape(-1, 224, 224, 3)", 1),
    (NP + "import cv2\nimg = cv2.imread('a.jpg')\nimg.reshape(-1, 3)", None),
    # a Keras tokenizer gives one sequence per text: one seed text is one row, a list of 3 texts three
    (TOKENIZER + "pad_sequences(tokenizer.texts_to_sequences([seed_text]), maxlen=40)", 1),
    (TOKENIZER + "pad_sequences(tokenizer.texts_to_sequences(['a', 'b', 'c']))", 3),
    (TOKENIZER + "pad_sequences(tokenizer.texts_to_sequences(load_texts()))", None),
    # a seed string's characters, two at a time: 57 pieces of 114 characters
    (NP + "text = ['" + "ab" * 57 + "']\nseq = [text[0][i:i + 2] for i in range(0, len(text[0]), 2)]\n"
          "np.zeros((len(seq), 3))", 57),
    # row indices drawn from a range select that many rows, whatever the array (six's range is range)
    (NP + "import random\nfrom six.moves import range\nx = pool()\n"
          "idx = np.asarray(random.sample(range(0, x.shape[0]), 2000))\nx[idx]", 2000),
    (NP + "import random\nx = pool()\nidx = random.sample(list(names()), 2000)\nx[idx]", None),  # not indices
    (NP + "data = np.zeros((1, 4))\ndata = np.vstack((data, np.zeros((1, 4))))\ndata", 2),
    # stacked onto itself in a loop: as many rows as the iterations add
    (NP + "data = np.zeros((1, 4))\nfor f in files:\n    data = np.vstack((data, np.zeros((1, 4))))\ndata[1:]", None),
    # a list filled in nested loops holds one item per inner iteration: 9 x 9 cells of a grid
    (NP + "cells = []\nfor row in np.vsplit(image(), 9):\n    for cell in np.hsplit(row, 9):\n"
          "        cells.append(cell)\nnp.zeros((len(cells), 4))", 81),
    (NP + "cells = []\nfor row in range(9):\n    for cell in some_cells(row):\n        cells.append(cell)\n"
          "np.zeros((len(cells), 4))", None),  # one loop of unknown length: unknown
    (NP + "x = np.zeros((10_000, 4))\nx.reshape((n,) + x.shape[1:])", 10_000),  # unknown n keeps the rows
    (NP + "x = np.zeros((100, 1))\nnp.vstack([x] * 1000)", 100_000),  # k copies stacked: MC rows replicated
    (NP + "x = np.zeros((100, 1))\nnp.vstack(3 * [x])", 300),
    (NP + "x = np.zeros((100, 1))\nnp.vstack([x, x] * 2)", None),  # only one repeated item is read
    (NP + "x = np.zeros((10_000, 4))\nn = len(x)\nnp.zeros((n, 2))", 10_000),
    (NP + "x = np.zeros((10_000, 4))\nnp.zeros((x.shape[0], 2))", 10_000),
    ("import tensorflow as tf\ntf.random.normal((4096, 8))", 4096),
    ("import tensorflow as tf\nimport numpy as np\ntf.constant(np.zeros((300, 2)))", 300),
    ("from tensorflow import keras\n(a, b), (c, d) = keras.datasets.mnist.load_data()\nc", 10_000),
    ("from tensorflow import keras\n(a, b), (c, d) = keras.datasets.cifar10.load_data()\na", 50_000),
    ("import keras\n(a, b), (c, d) = keras.datasets.fashion_mnist.load_data()\nb", 60_000),
    ("import tf_keras\n(a, b), _ = tf_keras.datasets.cifar100.load_data()\na.astype('float32') / 255", 50_000),
    ("from keras.datasets import mnist\n(a, b), (c, d) = mnist.load_data()\nx_tr, x_te = a / 255.0, c / 255.0\nx_te",
     10_000),
    (NP + "def make():\n    return np.zeros((777, 2))\nmake()", 777),
    (NP + "state = env.reset()\nstate.reshape(1, -1)", 1),  # one row whatever the state is
    (NP + "np.arange(-10, 30, 0.3)", 134),
    (NP + "states, actions = map(np.asarray, zip(*sample))\nnp.array(states).reshape(64, -1)", 64),
    # the list restarts in every turn of the chat loop: only the loop between `[]` and the append counts
    (NP + "while True:\n    txt = []\n    for x in [read()]:\n        txt.append(encode(x))\n"
          "    batch = np.array(txt)\nbatch", 1),
    (NP + "np.arange(0.0, 1.0, 0.25)", 4),
    (NP + "x = np.zeros((10_000, 32, 32, 3))\nfor image in x:\n    pass\nnp.tile(image, (50, 1, 1, 1))", 50),
    (NP + "np.tile(np.zeros((1, 8)), (16, 1))", 16),
    (NP + "import random\nfrom collections import deque\nmemory = deque(maxlen=100)\nbatch_size = 64\n"
          "np.zeros((min(batch_size, len(memory)), 4))", 64),
    ("windows = make_windows()\nwindows[-1:]", 1),  # at most one row, whatever the array holds
    # sklearn splits arrays of one length: labels of unknown rows do not hide the features' split
    (NP + "from sklearn.model_selection import train_test_split\nx = np.zeros((60_000, 4))\n"
          "a, b, c, d = train_test_split(x, labels_from_somewhere(), test_size=0.2)\nd", 12_000),
    ("windows = make_windows()\nwindows[:8]", 8),
    ("import tensorflow_datasets as tfds\ntfds.load('mnist', split='test', batch_size=-1)['image']", 10_000),
    ("import tensorflow_datasets as tfds\nx, y = tfds.load('cifar10', split='train', batch_size=-1, "
     "as_supervised=True)\nx", 50_000),
    (NP + "def halves(x):\n    yield x[:500]\n    yield x[500:1000]\nfor part in halves(np.zeros((10_000, 2))):\n"
          "    pass\npart", 500),
])
def test_known_row_counts(source, count):
    assert rows(source) == (count, False)


@pytest.mark.parametrize("source", [
    NP + "np.load('x.npy')",
    NP + "np.load('x.npy')[:]",
    "import pandas as pd\npd.read_csv('f.csv').values",
    "import pandas as pd\ndf = pd.read_csv('f.csv')\ndf[['a', 'b']].to_numpy()",
    "import h5py\nf = h5py.File('d.h5')\nf['x'][:]",
])
def test_full_reads_from_disk_are_loaded(source):
    assert rows(source) == (None, True)
    assert rows(source, assume_loaded_arrays_large=False) == (None, False)


@pytest.mark.parametrize("source", [
    NP + "x = np.zeros((10_000, 4))\nx[idx]",  # idx unknown: may be an index array
    NP + "x = np.zeros((10_000, 4))\nx[:k]",  # k unknown
    NP + "x = np.zeros((10_000, 4))\nx[mask_array > 0]",
    NP + "make_data()",
    NP + "x = np.zeros((10_000, 4))\nx.T",
    "import h5py\nf = h5py.File('d.h5')\nf['x'][0:10]",
    NP + "x = np.load('a.npy')\nx[:k]",
    "batch",
    "state = env.reset()\nstate.reshape(-1, 4)",  # as many rows as the state has: unknown, not one
    "state = env.reset()\nstate.reshape(n, 4)",
    "import tensorflow_datasets as tfds\ntfds.load('mnist', split='test')",  # a dataset of single examples
    NP + "x = np.zeros((10_000, 4))\nnp.tile(x, (3, 1))",  # reps as long as x's dimensions: 30,000 rows
    NP + "np.tile(np.zeros((1, 8)), 16)",  # a plain count tiles the last axis
    NP + "np.zeros((min(batch_size, n_rows), 4))",  # an unknown that is not a length
])
def test_unknown_stays_unknown(source):
    assert rows(source) == (None, False)


def test_reassignment_reads_the_nearest_earlier_value():
    source = NP + "x = np.zeros((10, 2))\ny = x\nx = np.zeros((5000, 2))\nx"
    assert rows(source) == (5000, False)
    assert rows(NP + "x = np.zeros((10, 2))\ny = x\nx = np.zeros((5000, 2))\ny") == (10, False)


KERAS_SPELLINGS = [
    "import tensorflow as tf\nm = tf.keras.Sequential([tf.keras.layers.Dropout(0.5)])",
    "from tensorflow import keras\nm = keras.Sequential([keras.layers.Dropout(0.5)])",
    "from tensorflow.keras import Sequential, layers\nm = Sequential([layers.Dropout(0.5)])",
    "from tensorflow.keras.models import Sequential\nfrom tensorflow.keras.layers import Dropout as D\n"
    "m = Sequential([D(0.5)])",
    "import keras\nm = keras.Sequential([keras.layers.Dropout(0.5)])",
    "import tf_keras as tfk\nm = tfk.models.Sequential([tfk.layers.Dropout(0.5)])",
    "import tensorflow.keras as K\nm = K.Sequential()\nm.add(K.layers.Dropout(0.5))",
]


@pytest.mark.parametrize("source", KERAS_SPELLINGS)
def test_models_recognised_under_every_import_spelling(source):
    model = last_value(source + "\nm")
    assert model is not None and model.layers_visible and model.dropout_like and model.outputs == 1


def test_tfp_layers_and_distribution_heads():
    source = """
        import tf_keras as keras
        import tensorflow_probability as tfp
        tfpl = tfp.layers
        inp = keras.Input((4,))
        h = tfpl.DenseVariational(8, make_posterior_fn=None, make_prior_fn=None)(inp)
        h = keras.layers.BatchNormalization()(h)
        out = tfpl.IndependentNormal(1)(h)
        model = keras.Model(inputs=inp, outputs=out)
        model
    """
    model = last_value(source)
    assert model.random_in("inference") and model.batchnorm and model.distribution_head and model.layers_visible


def test_functional_model_outputs_and_custom_dropout_forced_to_training():
    source = """
        from tensorflow import keras
        class MCDropout(keras.layers.Dropout):
            def call(self, inputs):
                return super().call(inputs, training=True)
        inp = keras.Input((4,))
        h = MCDropout(0.2)(keras.layers.Dense(16)(inp))
        model = keras.Model(inp, [keras.layers.Dense(1)(h), keras.layers.Dense(2)(h)])
        model
    """
    model = last_value(source)
    assert model.outputs == 2 and model.random_in("inference") and model.layers_visible


@pytest.mark.parametrize("keras_import, in_inference", [
    ("import tf_keras as keras", True),  # tf_keras keeps it on whatever predict or training=False say
    ("from tensorflow import keras", False),  # Keras 3 lets predict and training=False switch it off
    ("import keras", False),
])
def test_dropout_applied_with_training_true_in_a_functional_graph(keras_import, in_inference):
    source = f"""
        {keras_import}
        inp = keras.Input((4,))
        out = keras.layers.Dense(1)(keras.layers.Dropout(0.5)(inp, training=True))
        model = keras.Model(inp, out)
        model
    """
    model = last_value(source)
    assert model.random_in("plain") and model.random_in("training")
    assert model.random_in("inference") is in_inference


@pytest.mark.parametrize("source, kind, visible", [
    ("from tensorflow import keras\nm = keras.models.load_model('m.keras')\nm", "keras", False),
    ("from keras.models import model_from_json\nm = model_from_json(open('m.json').read())\nm", "keras", False),
    ("from keras.engine import Model\nfrom keras.layers import Input, Dense\n"
     "i = Input((3,))\nm = Model(i, Dense(2)(i))\nm", "keras", True),  # Keras 2's engine path
    ("import tensorflow as tf\nfrom tensorflow import keras\nm = keras.Sequential([keras.layers.Dense(1)])\n"
     "tf.function(m)", "tf.function", True),
    ("from tensorflow import keras\nfrom tensorflow.keras import backend as K\n"
     "m = keras.Sequential([keras.layers.Dense(1)])\nK.function([m.input, K.learning_phase()], [m.output])",
     "backend.function", False),
    ("from tensorflow import keras\nclass Net(keras.Model):\n    pass\nclass Deeper(Net):\n    pass\nDeeper()",
     "keras", False),
    ("from tensorflow import keras\ndef build():\n    m = keras.Sequential([keras.layers.Dense(1)])\n    return m\n"
     "build()", "keras", True),
])
def test_model_sources(source, kind, visible):
    model = last_value(source)
    assert model is not None and model.kind == kind and model.layers_visible == visible


@pytest.mark.parametrize("source", [
    "from sklearn.ensemble import RandomForestClassifier\nRandomForestClassifier()",
    "import torch\ntorch.nn.Sequential(torch.nn.Linear(2, 2))",
    "class Sequential:\n    pass\nSequential()",
    "from tensorflow import keras\nkeras.layers.Dense(3)",
])
def test_non_models_are_not_models(source):
    assert not isinstance(last_value(source), ModelInfo)


BUILDERS = ("from tensorflow import keras\n"
            "def small():\n    return keras.Sequential([keras.layers.Dense(1)])\n"
            "def dropout():\n    return keras.Sequential([keras.layers.Dense(8), keras.layers.Dropout(0.5)])\n")


def test_a_call_of_one_of_several_builders_is_any_of_their_models():
    model = last_value(BUILDERS + "build = dropout if flag else small\nbuild()")
    assert isinstance(model, ModelInfo) and model.layers_visible and model.dropout_like
    assert last_value(BUILDERS + "build = small if flag else small\nbuild()").dropout_like is False
    # a builder or something else (a library function): what the call makes stays unknown
    assert last_value(BUILDERS + "import numpy as np\nbuild = dropout if flag else np.zeros\nbuild()") is None


def test_comprehension_reads_the_value_written_before_it():
    from tflint_bnn.engine import Linter
    from tflint_bnn.settings import Settings

    source = """
import numpy as np
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(100), tf.keras.layers.Dropout(0.2)])
X_test = np.zeros(({rows}, 784), dtype="float32")
y = np.stack([model(X_test, training=True) for _ in range(100)])
X_test = np.zeros(({later}, 784), dtype="float32")
"""
    linter = Linter(Settings())
    assert linter.lint(source.format(rows=500, later=50_000)) == []
    assert [f.code for f in linter.lint(source.format(rows=50_000, later=500))] == ["TFB201"]


def test_comprehension_rows_inside_a_function():
    from tflint_bnn.engine import Linter
    from tflint_bnn.settings import Settings

    source = textwrap.dedent("""
        import numpy as np
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.layers.Dense(100), tf.keras.layers.Dropout(0.2)])
        def run():
            X_test = np.zeros((500, 784), dtype="float32")
            y = np.stack([model(X_test, training=True) for _ in range(100)])
            X_test = np.zeros((50_000, 784), dtype="float32")
            return y
    """)
    assert Linter(Settings()).lint(source) == []


@pytest.mark.parametrize("source, count, loaded", [
    ("import pandas as pd\ndf = pd.read_csv('d.csv')\ndf.drop(columns=['y']).values", None, True),
    ("import pandas as pd\ndf = pd.read_csv('d.csv')\ndf.iloc[:, :-1].values", None, True),
    ("import pandas as pd\ndf = pd.read_csv('d.csv')\ndf.iloc[:100].values", 100, False),
    # sklearn scalers map each row to one row; `fit` gives the scaler back
    ("import pandas as pd\nfrom sklearn.preprocessing import MinMaxScaler\ndf = pd.read_csv('d.csv')\n"
     "scaler = MinMaxScaler(feature_range=(-1, 1)).fit(df)\npd.DataFrame(scaler.transform(df)).values", None, True),
    (NP + "from sklearn import preprocessing\npreprocessing.StandardScaler().fit_transform(np.zeros((300, 4)))",
     300, False),
    (NP + "from sklearn.cluster import KMeans\nKMeans(3).fit_transform(np.zeros((300, 4)))", None, False),
    (NP + "from sklearn.model_selection import train_test_split\n"
     "a, b = train_test_split(np.zeros((70_000, 784)), test_size=0.2)\nb", 14_000, False),
    (NP + "from sklearn.model_selection import train_test_split\n"
     "a, b, c, d = train_test_split(np.zeros((1000, 3)), np.zeros(1000))\na", 750, False),
    (NP + "from sklearn.model_selection import train_test_split\n"
     "a, b = train_test_split(np.zeros((1000, 3)), test_size=frac)\na", None, False),
])
def test_tabular_rows(source, count, loaded):
    assert rows(source) == (count, loaded)


def test_sequential_additions_belong_to_the_model_the_name_holds_then():
    source = """
        from tensorflow import keras
        model = keras.Sequential()
        model.add(keras.layers.Dense(4))
        model.add(keras.layers.BatchNormalization())
        model = keras.Sequential([keras.layers.Dense(8)])
        model.add(keras.layers.Dropout(0.2))
        model
    """
    assert [layer.name for layer in last_value(source).layers] == ["Dense", "Dropout"]


@pytest.mark.parametrize("layers, widest", [
    ("Dense(512), Dropout(0.2), Dense(10)", 512),
    ("Dense(512), Dense(cfg.hidden), Dense(10)", None),  # the unknown layer may be the widest: no estimate
    ("Conv2D(32, 3), Flatten(), Dense(10)", None),  # activations per row do not follow from units
])
def test_widest_dense_layer_only_when_every_width_is_known(layers, widest):
    source = f"from tensorflow.keras.layers import *\nimport tensorflow as tf\ntf.keras.Sequential([{layers}])"
    model = last_value(source)
    assert isinstance(model, ModelInfo)
    assert model.widest_units == widest


def test_argparse_options_read_at_their_defaults():
    source = """
    import argparse
    parser = argparse.ArgumentParser()
    parser.add_argument("--mc-samples", type=int, default=50)
    parser.add_argument("-b", "--batch", dest="batch_rows", default=256)
    parser.add_argument("--weights")
    args = parser.parse_args()
    (args.mc_samples, args.batch_rows, args.weights)
    """
    value = last_value(source)
    assert [getattr(item, "value", None) for item in value.items] == [50, 256, None]


def test_replay_memory_holds_what_another_function_appends():
    source = """
    import random
    from collections import deque
    import numpy as np

    class Agent:
        def __init__(self):
            self.memory = deque(maxlen=2000)

    def step(agent, state):
        agent.memory.append((np.reshape(state, [1, 4]), 0, 1.0))

    agent = Agent()
    for _ in range(10):
        step(agent, observe())
    batch = random.sample(agent.memory, 32)
    for state, action, reward in batch:
        pass
    (len(batch), state)
    """
    value = last_value(source)
    assert value.items[0].value == 32 and value.items[1].count == 1


def test_multi_input_list_joined_to_unknown_states_has_its_first_inputs_rows():
    source = NP + "target = np.zeros((1, 1, 80))\ninputs = [target] + states\n"
    facts = ProgramFacts({"": summarise(source)})
    module = facts.modules[""]
    node = module.names["inputs"]
    frame = facts.evaluator.direct(module, "<module>")
    assert facts.evaluator.value(node, frame) is None  # the list's length is not known ...
    assert facts.evaluator.rows(node, frame).count == 1  # ... but every input has the first one's rows



def test_past_the_value_bound_the_rest_of_a_program_is_unknown(monkeypatch):
    """A program too big to read stops being read (unknown values, so no finding), instead of running out of memory."""
    from tflint_bnn.program import evaluate

    source = NP + "x = np.zeros((10_000, 4))\ny = x / 255.0\ny[:64]"
    assert rows(source) == (64, False)
    monkeypatch.setattr(evaluate, "MAX_VALUES", 2)
    assert rows(source) == (None, False)


def test_a_library_function_picked_from_a_dict_by_an_unknown_key_keeps_the_rows():
    preprocess = ("from tensorflow import keras\nimport numpy as np\nimport sys\n"
                  "PREPROCESS = {'vgg16': keras.applications.vgg16.preprocess_input,\n"
                  "              'resnet50': keras.applications.resnet50.preprocess_input}\n")
    rows = last_value(preprocess + "PREPROCESS[sys.argv[1]](np.zeros((1, 224, 224, 3)))")
    assert isinstance(rows, Rows) and rows.count == 1
    # library functions that differ in what they make: the rows of a call of either are not known
    either = last_value(preprocess.replace("keras.applications.resnet50.preprocess_input", "np.load")
                        + "PREPROCESS[sys.argv[1]](np.zeros((1, 224, 224, 3)))")
    assert either is None or either.count is None


def test_a_file_read_whole_and_unpacked_into_names_holds_arrays_not_rows():
    assert rows("import pandas as pd\nx_test, y_test = pd.read_pickle('test.pickle')\nx_test") == (None, True)
    # an array of known rows unpacked into names gives its rows, one each
    assert rows("import numpy as np\nfirst, second = np.zeros((2, 8))\nfirst") == (1, False)
    # a subscript of the file's data is one row of it
    assert rows("import numpy as np\ndata = np.load('rows.npy')\ndata[0]") == (1, False)


PERMA_DROPOUT = """
from keras import backend as K
from keras.layers import Dense, Layer
from keras.models import Sequential


class PermaDropout(Layer):
    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, inputs, training=None):
        return K.in_train_phase(lambda: K.dropout(inputs, self.rate), inputs, training=TRAINING)


Sequential([Dense(64), PermaDropout(0.5), Dense(1)])
"""


def test_a_layer_that_applies_dropout_with_training_forced_on_is_random_on_every_call():
    model = last_value(PERMA_DROPOUT.replace("TRAINING", "True"))
    assert isinstance(model, ModelInfo) and model.random_in("inference")
    # the same layer following the caller's training flag draws only in training
    assert not last_value(PERMA_DROPOUT.replace("TRAINING", "training")).random_in("inference")


def test_an_elementwise_function_of_two_arrays_keeps_the_larger_rows():
    assert rows("import numpy as np\nnp.power(10, np.linspace(0, -4, 5))") == (5, False)
    assert rows("import numpy as np\nnp.maximum(np.zeros((3, 1)), np.zeros((300, 1)))") == (300, False)


def test_a_reduction_along_another_axis_keeps_the_rows():
    assert rows("import numpy as np\nnp.sum(np.zeros((1, 32, 32, 3)) / 3, axis=3, keepdims=True)") == (1, False)
    assert rows("import numpy as np\nnp.mean(np.zeros((50, 8)), 1)") == (50, False)
    # along the rows, or over everything: not rows any more
    assert rows("import numpy as np\nnp.mean(np.zeros((50, 8)), axis=0)") == (None, False)
    assert rows("import numpy as np\nnp.max(np.zeros((50, 8)))") == (None, False)
