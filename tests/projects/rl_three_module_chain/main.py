import gym

from agent import Agent
from runner import run_episode
from settings import BATCH_SIZE, EPISODES

env = gym.make("CartPole-v1")
state_size = env.observation_space.shape[0]
agent = Agent(state_size, env.action_space.n)
for episode in range(EPISODES):
    print(episode, run_episode(env, agent, state_size, BATCH_SIZE))
