"""Every library name the analysis knows, in one place: Keras layers and models, TF/TFP markers, method sets."""

from __future__ import annotations

# The helper `--fix` inserts to batch forward passes (fixes/batching.py): the analysis leaves its body alone.
FIX_HELPER_NAME = "_batched_forward"
FIX_HELPER_PARAMS = ("model", "x", "batch_size")

# -- Keras models and layers (tails after any Keras spelling: `tf.keras.`, `keras.`, `tf_keras.`) -------------
# Keras 2.x also exported them from its `engine` package (`from keras.engine import Model`)
SEQUENTIAL = frozenset({"Sequential", "models.Sequential", "engine.sequential.Sequential"})
FUNCTIONAL = frozenset({"Model", "models.Model", "engine.Model", "engine.training.Model"})
# A model with its layers read from a file or a JSON/YAML/config description: its layers are not in the code.
LOADERS = frozenset({"models.load_model", "saving.load_model", "load_model", "models.model_from_json",
                     "model_from_json", "models.model_from_yaml", "model_from_yaml", "models.model_from_config",
                     "model_from_config"})
CLONERS = frozenset({"models.clone_model", "clone_model"})
INPUTS = frozenset({"Input", "layers.Input", "InputLayer", "layers.InputLayer"})
BACKEND_FUNCTIONS = frozenset({"backend.function", "backend.Function"})
CLEAR_SESSION = frozenset({"backend.clear_session", "utils.clear_session"})
DROPOUT_LIKE = frozenset({"Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianDropout",
                          "GaussianNoise", "AlphaDropout"})
BATCHNORM = frozenset({"BatchNormalization", "SyncBatchNormalization"})
# Layers that mix rows: what one row gets depends on the other rows passed with it.
ROW_MIXING_LAYERS = frozenset({"Lambda"})
TFP_DISTRIBUTION_HEADS = frozenset({
    "DistributionLambda", "IndependentNormal", "IndependentBernoulli", "IndependentLogistic", "IndependentPoisson",
    "MultivariateNormalTriL", "OneHotCategorical", "CategoricalMixtureOfOneHotCategorical", "MixtureSameFamily",
    "MixtureNormal", "MixtureLogistic", "VariationalGaussianProcess"})
TFP_RANDOM_MARKERS = ("Flipout", "Reparameterization", "Variational")
# Layers after which each row keeps as many values as the last Dense layer produced.
# A distribution head holds, per row, the parameters its input layer gives it (a Gaussian process layer does not).
WIDTH_PRESERVING = DROPOUT_LIKE | BATCHNORM | frozenset({"Activation", "ReLU", "Softmax", "LeakyReLU", "ELU", "PReLU",
                                                         "LayerNormalization"}) | (
    TFP_DISTRIBUTION_HEADS - {"VariationalGaussianProcess"})
# Layers of a dense network: each row's activations are at most the widest Dense layer's units.
DENSE_NETWORK_LAYERS = WIDTH_PRESERVING | frozenset({"Dense", "DenseFlipout", "DenseReparameterization",
                                                     "DenseVariational", "DenseLocalReparameterization"})
KERAS_MODEL_BASES = SEQUENTIAL | FUNCTIONAL

# -- methods -----------------------------------------------------------------------------------------------------
FORWARD_METHODS = frozenset({"predict", "predict_on_batch", "__call__"})
# Calls that change a model between iterations: a loop containing them is training, not sampling.
TRAINING_METHODS = frozenset({"fit", "fit_generator", "train_on_batch", "apply_gradients", "minimize", "set_weights",
                              "load_weights", "compile", "gradient"})
# Ways a loop keeps each iteration's result.
ACCUMULATING_METHODS = frozenset({"append", "extend", "write", "insert", "put", "add"})
KERAS_STEP_METHODS = frozenset({"train_step", "test_step", "predict_step", "call"})
RANGE_FUNCTIONS = frozenset({"range", "trange", "tnrange"})
TAPE_CLASSES = frozenset({"GradientTape", "autodiff.GradientTape"})
DIFFERENTIATING_METHODS = frozenset({"gradient", "jacobian", "batch_jacobian"})
# Uses of a tape that neither differentiate nor hand the tape to code the linter cannot see.
CONFINED_TAPE_METHODS = DIFFERENTIATING_METHODS | frozenset({"watch", "stop_recording", "reset", "watched_variables"})
# Both keywords let a tf.function trace one graph with None dimensions instead of one graph per shape.
RELAX_SHAPE_KEYWORDS = ("reduce_retracing", "experimental_relax_shapes")

# `@app.route(...)`, `@app.post(...)` of these web frameworks: the function runs once per request.
# discord.py's `@bot.command()`, `@client.event` on `on_message`, pyTelegramBotAPI's and aiogram's
# `@bot.message_handler(...)`: the function runs once per message.
WEB_FRAMEWORKS = frozenset({"flask", "fastapi", "quart", "sanic", "bottle", "starlette", "aiohttp", "discord",
                            "django", "rest_framework", "telebot", "aiogram"})
# Desktop GUI toolkits: a callback bound to a widget (`Button(command=f)`, `button.clicked.connect(f)`,
# `widget.bind("<Return>", f)`, `root.after(ms, f)`) runs once per user event, as often as they come.
GUI_FRAMEWORKS = frozenset({"tkinter", "Tkinter", "customtkinter", "PyQt5", "PyQt6", "PySide2", "PySide6", "wx",
                            "kivy"})
# Calls whose items count iterations: a loop over them can repeat a call T times as Monte Carlo samples.
COUNTING_CALLS = frozenset({"range", "xrange", "trange", "tnrange", "arange"})
# Decorators that run a function once per distinct arguments and keep the result (`@st.cache_resource`).
CACHING_DECORATORS = frozenset({"cache", "cache_resource", "cache_data", "experimental_singleton",
                                "experimental_memo", "lru_cache", "memoize"})
REQUEST_HANDLER_DECORATORS = frozenset({"route", "get", "post", "put", "patch", "delete", "api_route", "websocket",
                                        "command", "message_handler", "callback_query_handler"})

# -- Monte Carlo samples ---------------------------------------------------------------------------------------
# Reductions that running moments (Welford) can replace: mean, variance, standard deviation.
MOMENTS_NUMPY = frozenset({"mean", "std", "var", "nanmean", "nanstd", "nanvar"})
MOMENTS_TF = frozenset({"reduce_mean", "math.reduce_mean", "math.reduce_std", "math.reduce_variance"})
MOMENTS_KERAS = frozenset({"ops.mean", "ops.std", "ops.var"})
MOMENT_METHODS = frozenset({"mean", "std", "var"})  # ndarray methods, after stacking
# Calls that turn a list of samples into one array with the samples on axis 0.
STACK_NUMPY = frozenset({"stack", "array", "asarray"})
STACK_TF = frozenset({"stack", "convert_to_tensor"})
STACK_KERAS = frozenset({"ops.stack", "ops.convert_to_tensor"})
STACK_AXIS_ARGUMENT = frozenset({"stack", "ops.stack"})  # the others have no axis: the samples land on axis 0
DISTRIBUTION_STATISTICS = frozenset({"mean", "stddev", "variance", "mode", "sample"})

# -- which calls are not the project's own -----------------------------------------------------------------------
# Calls into these modules are library calls: the evaluator knows what it needs of them, and they are never the
# project's helpers. Any other import may be a module of the linted project.
LIBRARY_ROOTS = frozenset({
    "builtins", "numpy", "tensorflow", "keras", "tf_keras", "tensorflow_probability", "tensorflow_datasets",
    "tensorflow_hub", "pandas", "sklearn", "scipy", "matplotlib", "seaborn", "torch", "jax", "flax", "optax",
    "h5py", "PIL", "cv2", "tqdm", "optuna", "keras_tuner", "kerastuner", "gym", "gymnasium", "os", "sys", "math",
    "random", "json", "re", "time", "datetime", "collections", "itertools", "functools", "pathlib", "logging",
    "argparse", "typing", "pickle", "csv", "glob", "shutil", "subprocess", "copy", "warnings", "statistics",
    "dataclasses", "abc", "enum", "io", "string", "textwrap", "contextlib", "operator", "uuid", "hashlib",
    "threading", "multiprocessing", "concurrent", "socket", "urllib", "requests", "flask", "fastapi", "wandb",
    "mlflow", "absl", "yaml", "tensorboard", "IPython", "skimage", "imageio", "nltk", "transformers", "joblib",
    "streamlit",
})
# Methods of builtin containers, arrays, strings and Keras models that never run project code. `fit`, `evaluate`
# and `apply` are not here: projects name their own methods so (a data module's `evaluate(model)`).
PLAIN_METHODS = frozenset({
    "append", "extend", "insert", "pop", "remove", "clear", "copy", "count", "index", "reverse", "sort", "items",
    "keys", "values", "get", "setdefault", "update", "format", "join", "split", "strip", "replace", "startswith",
    "endswith", "lower", "upper", "encode", "decode", "reshape", "astype", "numpy", "mean", "sum", "std", "var",
    "max", "min", "argmax", "argmin", "squeeze", "flatten", "tolist", "transpose", "compile",
    "save", "save_weights", "load_weights", "summary", "get_weights", "set_weights", "add", "write", "read",
    "close", "open", "__init__", "shape", "add_loss", "add_metric", "item", "cpu", "detach", "to",
    "plot", "show", "savefig", "figure", "subplot", "legend", "xlabel", "ylabel", "title", "print", "info",
    "debug", "warning", "error", "exists", "mkdir", "fill", "any", "all", "round", "dot",
})
