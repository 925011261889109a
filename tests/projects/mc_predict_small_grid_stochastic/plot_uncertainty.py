import numpy as np
from tqdm import tqdm

from models import always_on_dropout_regressor, variational_regressor

x_grid = np.arange(-10, 30, 0.3).reshape(-1, 1)

vi_model = variational_regressor()
vi_draws = [vi_model.predict(x_grid, verbose=0) for _ in tqdm(range(200))]

mc_model = always_on_dropout_regressor()
mc_draws = [mc_model.predict(x_grid, verbose=0) for _ in tqdm(range(200))]

few_draws = [vi_model.predict(x_grid, verbose=0) for _ in range(5)]
