import gym

from agent import DQNAgent

EPISODES = 500
BATCH_SIZE = 32

env = gym.make("CartPole-v1")
agent = DQNAgent(env.observation_space.shape[0], env.action_space.n)
for episode in range(EPISODES):
    state, _ = env.reset()
    done = False
    while not done:
        action = agent.act(state)
        next_state, reward, done, truncated, _ = env.step(action)
        agent.remember(state, action, reward, next_state, done)
        state = next_state
    if len(agent.memory) > BATCH_SIZE:
        agent.replay(BATCH_SIZE)
