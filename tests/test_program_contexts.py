"""Whole-program reading of small projects: how often a call runs (through callers, loops that stop after one
iteration), classmethod factories, generators, tfds splits. Each case has a positive and a same-shape negative."""

import json
import textwrap
from pathlib import Path
from typing import Dict, List, Tuple

from tflint_bnn.cli import main

MODEL_PY = """\
import tensorflow as tf


def get_model():
    return tf.keras.Sequential([tf.keras.layers.Dense(512, activation="relu"), tf.keras.layers.Dropout(0.2),
                                tf.keras.layers.Dense(10)])
"""


def findings(tmp_path: Path, files: Dict[str, str], capsys) -> List[Tuple[str, int, str]]:
    """(file, line, code) of every finding of the tool run over the project, as a user runs it."""
    for name, text in files.items():
        (tmp_path / name).write_text(textwrap.dedent(text))
    main([str(tmp_path), "--no-cache", "--output-format", "json"])
    return sorted((Path(item["filename"]).name, item["location"]["row"], item["code"])
                  for item in json.loads(capsys.readouterr().out))


def test_a_helper_called_once_and_from_a_serving_loop_is_reported_for_the_loop(tmp_path, capsys):
    # Both calls pass an unknown item, so they share one reading of `score`; the loop's repetition must survive.
    serve = """\
        import queue

        from model import get_model

        model = get_model()
        jobs = queue.Queue()


        def score(features):
            return model.predict(features[None])


        def serve():
            while True:
                score(jobs.get())


        def warmup():
            score(jobs.get())
        """
    assert findings(tmp_path, {"model.py": MODEL_PY, "serve.py": serve}, capsys) == [("serve.py", 10, "TFB102")]


def test_a_helper_called_only_once_is_not_repetition(tmp_path, capsys):
    serve = """\
        import queue

        from model import get_model

        model = get_model()
        jobs = queue.Queue()


        def score(features):
            return model.predict(features[None])


        def warmup():
            score(jobs.get())
        """
    assert findings(tmp_path, {"model.py": MODEL_PY, "serve.py": serve}, capsys) == []


def test_a_loop_that_breaks_after_its_first_iteration_runs_once(tmp_path, capsys):
    script = """\
        import numpy as np

        from model import get_model

        model = get_model()
        frames = np.load("frames.npy")
        for frame in frames:
            print(model.predict(frame[None]))
            break
        for frame in frames:
            print(model.predict(frame[None]))
        """
    assert findings(tmp_path, {"model.py": MODEL_PY, "main.py": script}, capsys) == [("main.py", 11, "TFB102")]


FORECASTER_PY = """\
import tensorflow as tf


class Forecaster:
    def __init__(self, net):
        self.net = net

    @classmethod
    def build(cls, width):
        return cls(tf.keras.Sequential([tf.keras.layers.Dense(width, activation="relu"),
                                        tf.keras.layers.Dropout(0.2), tf.keras.layers.Dense(1)]))

    def sample(self, x, n):
        return [self.net(x, training=True) for _ in range(n)]
"""


def test_a_model_made_by_a_classmethod_factory_in_another_module(tmp_path, capsys):
    script = """\
        import numpy as np

        from forecaster import Forecaster

        x_test = np.random.rand(200_000, 64).astype("float32")
        draws = Forecaster.build(512).sample(x_test, 50)
        """
    assert findings(tmp_path, {"forecaster.py": FORECASTER_PY, "main.py": script}, capsys) == [
        ("forecaster.py", 14, "TFB201")]


def test_the_same_classmethod_factory_on_a_batch_is_silent(tmp_path, capsys):
    script = """\
        import numpy as np

        from forecaster import Forecaster

        x_batch = np.random.rand(64, 64).astype("float32")
        draws = Forecaster.build(512).sample(x_batch, 50)
        """
    assert findings(tmp_path, {"forecaster.py": FORECASTER_PY, "main.py": script}, capsys) == []


DATA_PY = """\
import numpy as np


def load():
    return np.load("big.npy", mmap_mode="r")[:200_000]


def batches(x, size):
    for start in range(0, len(x), size):
        yield x[start:start + size]


def repeated(x):
    for _ in range(3):
        yield x
"""


def test_a_generator_yields_what_it_yields(tmp_path, capsys):
    script = """\
        from data import batches, load, repeated
        from model import get_model

        model = get_model()
        x = load()
        for xb in batches(x, 256):
            out = model(xb)
        for xb in repeated(x):
            out = model(xb)
        """
    assert findings(tmp_path, {"model.py": MODEL_PY, "data.py": DATA_PY, "main.py": script}, capsys) == [
        ("main.py", 9, "TFB101")]


def test_a_whole_tfds_split_loaded_at_once(tmp_path, capsys):
    script = """\
        import tensorflow_datasets as tfds

        from model import get_model

        model = get_model()
        test = tfds.as_numpy(tfds.load("mnist", split="test", batch_size=-1))
        draws = [model(test["image"], training=True) for _ in range(50)]
        stream = tfds.load("mnist", split="test")
        for example in stream.batch(256):
            out = model(example["image"], training=True)
        """
    assert findings(tmp_path, {"model.py": MODEL_PY, "main.py": script}, capsys) == [("main.py", 7, "TFB201")]


REDEFINED = """\
import numpy as np

from model import get_model

encoder = get_model()


def decode(seq):
    return {first}


def run_test():
    for _ in range(500):
        decode(np.zeros((1, 64)))


def decode(seq):
    return {second}
"""


def test_a_redefined_function_is_called_through_its_last_def(tmp_path, capsys):
    # a function body reads the module's name when it runs: the second `decode` replaced the first by then
    main_py = REDEFINED.format(first="encoder(seq)", second="encoder.predict(seq, verbose=0)")
    assert findings(tmp_path, {"model.py": MODEL_PY, "main.py": main_py}, capsys) == [("main.py", 18, "TFB102")]


def test_the_replaced_def_is_dead_code(tmp_path, capsys):
    main_py = REDEFINED.format(first="encoder.predict(seq, verbose=0)", second="encoder(seq)")
    assert findings(tmp_path, {"model.py": MODEL_PY, "main.py": main_py}, capsys) == []


def test_the_last_def_of_a_method_name_is_the_method(tmp_path, capsys):
    main_py = """\
        import numpy as np

        from model import get_model


        class Agent:
            def __init__(self):
                self.model = get_model()

            def act(self, state):
                return self.model(state)

            def act(self, state):
                return self.model.predict(state, verbose=0)


        agent = Agent()
        for step in range(1000):
            agent.act(np.zeros((1, 64)))
    """
    assert findings(tmp_path, {"model.py": MODEL_PY, "main.py": main_py}, capsys) == [("main.py", 14, "TFB102")]


NET_PY = """\
from keras import Input, Model
from keras.layers import Dense


class net:
    def __init__(self, X_train, n_hidden):
        inputs = Input(shape=(X_train.shape[1],))
        model = Model(inputs, Dense(n_hidden)(inputs))
        model.compile(loss="mse", optimizer="adam")
        model.fit(X_train, X_train, epochs=10)
        self.model = model
"""


def test_a_module_named_like_its_folder_is_the_module_not_a_package(tmp_path, capsys):
    # `import net` with net/ on sys.path is net/net.py; `net.net` is its class (DropoutUncertaintyExps)
    (tmp_path / "net").mkdir()
    experiment = """\
        import sys
        import numpy as np
        sys.path.append("net/")
        import net

        X_train = np.zeros((1000, 8))
        for width in [16, 32, 64, 128]:
            for tau in [0.1, 0.2, 0.5]:
                network = net.net(X_train, {width})
    """
    files = {"net/net.py": NET_PY, "experiment.py": experiment.format(width="width")}
    assert findings(tmp_path, files, capsys) == [("experiment.py", 9, "TFB401")]
    once = {"net/net.py": NET_PY, "experiment.py": experiment.replace("for width in [16, 32, 64, 128]:\n", "if True:\n")
            .replace("    for tau in [0.1, 0.2, 0.5]:\n", "    if True:\n").format(width="16")}
    assert findings(tmp_path, once, capsys) == []


AGENT_PY = """\
import numpy as np


class Agent:
    def __init__(self):
        self.model = None

    def act(self, state):
        return np.argmax(self.model.predict(state, verbose=0))


class Recorder:
    def __init__(self):
        self.model = None
"""


def test_a_model_a_script_stores_on_its_agent(tmp_path, capsys):
    # VizDoom-Keras-RL: `agent.model = Networks.dqn(...)` in the script, `self.model.predict` in the class
    train = """\
        import numpy as np

        from agent import Agent, Recorder
        from model import get_model

        agent = Agent()
        recorder = Recorder()
        {holder}.model = get_model()
        while True:
            agent.act(np.zeros((1, 64)))
    """
    files = {"model.py": MODEL_PY, "agent.py": AGENT_PY}
    assert findings(tmp_path, {**files, "train.py": train.format(holder="agent")}, capsys) == \
        [("agent.py", 9, "TFB102")]
    # the model is stored on another class's object: the agent's is still None
    assert findings(tmp_path, {**files, "train.py": train.format(holder="recorder")}, capsys) == []


GAN_PY = """\
import numpy as np
from model import get_model

generator = get_model()


def save_images(epoch, full=False, amount=100):
    if full:
        noise = np.random.normal(0, 1, (amount, 8))
        return generator.predict(noise)
    noise = np.random.normal(0, 1, (25, 8))
    return generator.predict(noise)
"""


def test_a_flag_block_the_callers_skip_is_not_run(tmp_path, capsys):
    """save_images(epoch) per epoch leaves `full` False: only the 25-row branch runs 10,000 times; the export loop
    passes full=True, so its 10-row branch runs 500 times. A flag no caller fixes (a parameter passed on) is read
    as possibly either."""
    train = "from gan import save_images\nfor epoch in range(10_000):\n    save_images(epoch)\n"
    assert findings(tmp_path, {"model.py": MODEL_PY, "gan.py": GAN_PY, "train.py": train}, capsys) == [
        ("gan.py", 12, "TFB102")]
    export = train + ("def export(full):\n    if full:\n        for i in range(500):\n"
                      "            save_images(i, full=True, amount=10)\nexport({flag})\n")
    assert findings(tmp_path, {"train.py": export.format(flag="False")}, capsys) == [("gan.py", 12, "TFB102")]
    assert findings(tmp_path, {"train.py": export.format(flag="True")}, capsys) == [
        ("gan.py", 10, "TFB102"), ("gan.py", 12, "TFB102")]
    passed_on = train + "def export(full):\n    for i in range(500):\n        save_images(i, full=full, amount=10)\n"
    assert findings(tmp_path, {"train.py": passed_on}, capsys) == [("gan.py", 10, "TFB102"), ("gan.py", 12, "TFB102")]


ENSEMBLE_PY = """\
import numpy as np
import tensorflow as tf


class Member(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.out = tf.keras.layers.Dense(9)

    def call(self, inputs):
        return self.out(inputs)


class Ensemble:
    def __init__(self, n_models=5):
        self.models = [Member() for _ in range(n_models)]

    @classmethod
    def load(cls, folder):
        ensemble = cls()
        ensemble.models = []
        for i in range(5):
            ensemble.models.append(tf.keras.models.load_model(f"{folder}/member_{i}"))
        return ensemble

    def predict(self, x):
        predictions = np.array([model.predict(x) for model in self.models])
        return np.mean(predictions, axis=0)

    def rollout(self, state, steps):
        current = state.reshape(1, -1)
        for _ in range(steps):
            current = self.predict(current)
        return current
"""


def test_an_object_made_in_either_of_two_places_keeps_its_class(tmp_path, capsys):
    """`ensemble` is loaded or trained (two objects of one class); its members are built in __init__ or stored empty
    and filled by appends: either way the rollout calls predict on one row per member per step."""
    main = ("import os\nimport numpy as np\nfrom ensemble import Ensemble\n"
            "ensemble = Ensemble.load('saved') if os.path.exists('saved') else Ensemble()\n"
            "ensemble.rollout(np.zeros(9), {steps})\n")
    assert findings(tmp_path, {"ensemble.py": ENSEMBLE_PY, "main.py": main.format(steps=250)}, capsys) == [
        ("ensemble.py", 27, "TFB102")]
    # the same rollout of a batch of 4,096 states: predict on a real batch, nothing to report
    batched = main.format(steps=250).replace("np.zeros(9)", "np.zeros((4096, 9))")
    assert findings(tmp_path, {"ensemble.py": ENSEMBLE_PY.replace("state.reshape(1, -1)", "state"),
                               "main.py": batched}, capsys) == []


PLAYER_PY = """\
import tensorflow as tf
from tensorflow import keras


class Agent:
    def __init__(self, name):
        self.name = name
        self.model = keras.Sequential([keras.layers.Dense(40, activation="relu"), keras.layers.Dense(8)])

    def step(self, state):
        return self.model.predict(tf.expand_dims(state, 0), verbose=0)[0]
"""
GAME_PY = """\
class Game:
    def __init__(self, first, second):
        self.players = [first, second]

    def play(self, moves):
        for move in range({moves}):
            self.players[1].step(self.state(move))

    def state(self, move):
        return [move] * 25
"""


def test_a_method_reached_through_a_list_on_self_is_called_from_its_callers_loop(tmp_path, capsys):
    """`self.players[1].step(state)`: which agent plays second only the game's maker says."""
    train = ("from agent import Agent\nfrom game import Game\n"
             "game = Game(Agent('red'), Agent('blue'))\nfor episode in range(100):\n    game.play(50)\n")
    files = {"agent.py": PLAYER_PY, "game.py": GAME_PY.format(moves="moves"), "train.py": train}
    assert findings(tmp_path, files, capsys) == [("agent.py", 11, "TFB102")]
    assert findings(tmp_path, {"train.py": train.replace("range(100)", "range(1)").replace("play(50)", "play(9)")},
                    capsys) == []  # nine moves of one game: a bounded tiny count


COUNTED_LOOPS = """\
    import numpy as np

    from model import get_model

    model = get_model()
    rows = np.load("rows.npy")


    def first_rows(limit):
        for i, row in enumerate(rows):
            model.predict(row[None])
            if i >= limit:
                break


    def while_counted(limit):
        step = 0
        while step < limit:
            model.predict(rows[step:step + 1])
            step += 1


    def folds(limit):
        fold = 1
        for train in np.array_split(rows, 15):
            clf = get_model()
            fold += 1
            if fold > limit:
                break
    """


def test_a_counter_that_breaks_the_loop_bounds_it(tmp_path, capsys):
    # 10 predict calls, 20, and 3 builds: below what TFB102 (100 calls) and TFB401 (10 builds) report
    calls = textwrap.dedent(COUNTED_LOOPS) + "\nfirst_rows(9)\nwhile_counted(20)\nfolds(3)\n"
    assert findings(tmp_path, {"model.py": MODEL_PY, "loops.py": calls}, capsys) == []


def test_a_counter_with_a_large_limit_still_repeats(tmp_path, capsys):
    calls = textwrap.dedent(COUNTED_LOOPS) + "\nfirst_rows(499)\nwhile_counted(300)\nfolds(12)\n"
    assert findings(tmp_path, {"model.py": MODEL_PY, "loops.py": calls}, capsys) == [
        ("loops.py", 11, "TFB102"), ("loops.py", 19, "TFB102"), ("loops.py", 26, "TFB401")]
    main([str(tmp_path), "--no-cache", "--output-format", "json"])
    messages = [item["message"] for item in sorted(json.loads(capsys.readouterr().out),
                                                   key=lambda item: item["location"]["row"])]
    assert "500 times" in messages[0] and "300 times" in messages[1] and "12 times" in messages[2]


GAME = """\
    import numpy as np

    from model import get_model


    class Agent:
        def __init__(self):
            self.model = get_model()

        def act(self, state):
            return int(np.argmax(self.model.predict(state[None])))


    class Game:
        def __init__(self):
            self.agent = None

        def play(self, agent, steps):
            if not self.agent:
                self.agent = agent
            state = np.zeros(8)
            for _ in range(steps):
                state = state + self.agent.act(state)


    Game().play(Agent(), STEPS)
    """


def test_an_attribute_the_method_itself_sets_from_its_caller_is_what_the_caller_passed(tmp_path, capsys):
    game = textwrap.dedent(GAME).replace("STEPS", "5000")
    assert findings(tmp_path, {"model.py": MODEL_PY, "game.py": game}, capsys) == [("game.py", 11, "TFB102")]


def test_an_attribute_set_from_the_caller_in_a_short_game_is_not_repetition(tmp_path, capsys):
    game = textwrap.dedent(GAME).replace("STEPS", "10")
    assert findings(tmp_path, {"model.py": MODEL_PY, "game.py": game}, capsys) == []


TRAINING = """\
    import tensorflow as tf

    from model import get_model

    model = get_model()
    optimizer = tf.keras.optimizers.Adam()
    dataset = tf.data.Dataset.from_tensor_slices(tf.zeros((640, 8))).batch(32)


    @tf.function
    def train_step(batch, epoch):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(model(batch)) * (1.0 + 0.0 * epoch)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))


    def fit(epochs):
        for epoch in range(epochs):
            for batch in dataset:
                train_step(batch, epoch)


    fit(EPOCHS)
    """


def test_a_python_epoch_that_the_caller_repeats_often_retraces_every_epoch(tmp_path, capsys):
    training = textwrap.dedent(TRAINING).replace("EPOCHS", "50")
    assert findings(tmp_path, {"model.py": MODEL_PY, "train.py": training}, capsys) == [("train.py", 21, "TFB301")]


def test_a_python_epoch_of_one_epoch_traces_once_however_many_batches(tmp_path, capsys):
    # the batch loop inside repeats the call, but `epoch` only changes with the epoch loop: one value in all
    training = textwrap.dedent(TRAINING).replace("EPOCHS", "1")
    assert findings(tmp_path, {"model.py": MODEL_PY, "train.py": training}, capsys) == []


def test_a_telegram_handler_runs_once_per_message(tmp_path, capsys):
    bot = """\
        import numpy as np
        from telegram.ext import CommandHandler, Filters, MessageHandler, Updater

        from model import get_model

        model = get_model()


        def classify(update, context):
            photo = np.zeros((1, 784), dtype="float32")
            update.message.reply_text(str(model.predict(photo).argmax()))


        def start(update, context):
            update.message.reply_text("send a photo")


        def warm_up():
            return model.predict(np.zeros((1, 784), dtype="float32"))


        warm_up()
        updater = Updater("token")
        updater.dispatcher.add_handler(MessageHandler(Filters.photo, classify))
        updater.dispatcher.add_handler(CommandHandler("start", start))
        updater.start_polling()
        """
    assert findings(tmp_path, {"model.py": MODEL_PY, "bot.py": bot}, capsys) == [("bot.py", 11, "TFB102")]


def test_a_timer_that_sets_itself_again_repeats_and_a_one_shot_timer_does_not(tmp_path, capsys):
    listen = """\
        import threading

        import numpy as np

        from model import get_model

        model = get_model()


        def listen():
            threading.Timer(0.1, listen).start()
            return model.predict(np.zeros((1, 784), dtype="float32"))


        def report():
            return model.predict(np.zeros((1, 784), dtype="float32"))


        listen()
        threading.Timer(5.0, report).start()
        """
    assert findings(tmp_path, {"model.py": MODEL_PY, "listen.py": listen}, capsys) == [("listen.py", 12, "TFB102")]


def test_monte_carlo_samples_drawn_over_np_arange_are_counted_samples(tmp_path, capsys):
    sample = """\
        import numpy as np

        from model import get_model

        model = get_model()
        x_test = np.zeros((ROWS, 784), dtype="float32")
        samples = []
        for i in np.arange(50):
            samples.append(model(x_test, training=True))
        """
    assert findings(tmp_path, {"model.py": MODEL_PY, "mc.py": textwrap.dedent(sample).replace("ROWS", "10000")},
                    capsys) == [("mc.py", 9, "TFB201")]
    assert findings(tmp_path, {"model.py": MODEL_PY, "mc.py": textwrap.dedent(sample).replace("ROWS", "100")},
                    capsys) == []


def test_python2_xrange_counts_monte_carlo_samples(tmp_path, capsys):
    sample = """\
        import numpy as np

        from model import get_model

        model = get_model()
        x_test = np.zeros((ROWS, 784), dtype="float32")
        samples = [model(x_test, training=True) for _ in xrange(100)]
        """
    assert findings(tmp_path, {"model.py": MODEL_PY, "mc.py": textwrap.dedent(sample).replace("ROWS", "10000")},
                    capsys) == [("mc.py", 7, "TFB201")]
    assert findings(tmp_path, {"model.py": MODEL_PY, "mc.py": textwrap.dedent(sample).replace("ROWS", "100")},
                    capsys) == []
