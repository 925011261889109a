import gym

from a2c import EpisodeLearner

env = gym.make("CartPole-v1")
learner = EpisodeLearner(env.observation_space.shape[0])
for episode in range(2_000):
    state, _ = env.reset()
    for step in range(500):
        action = env.action_space.sample()
        next_state, reward, done, _, _ = env.step(action)
        learner.remember(state, reward)
        state = next_state
        if done:
            break
    learner.finish_episode()
