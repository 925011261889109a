import gymnasium as gym

from agent import ActorCritic

env = gym.make("LunarLander-v2")
agent = ActorCritic(env.observation_space.shape[0], env.action_space.n)
for episode in range(1_000):
    state, _ = env.reset()
    terminated = truncated = False
    while not (terminated or truncated):
        baseline = agent.value(state)
        state, reward, terminated, truncated, _ = env.step(agent.choose_action(state))
