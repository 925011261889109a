import gym

from agent import PolicyAgent

env = gym.make("CartPole-v1")
agent = PolicyAgent(env.observation_space.shape[0], env.action_space.n)

# A demo: three short episodes of at most 20 steps, 60 predict calls in all.
for episode in range(3):
    state, _ = env.reset()
    for step in range(20):
        state, reward, done, truncated, _ = env.step(agent.act(state))
        if done:
            break

# The long run uses the direct call.
state, _ = env.reset()
done = False
while not done:
    state, reward, done, truncated, _ = env.step(agent.act_fast(state))
