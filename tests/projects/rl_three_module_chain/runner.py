import numpy as np


def run_episode(env, agent, state_size, batch_size):
    state, _ = env.reset()
    state = np.reshape(state, [1, state_size])
    total = 0.0
    for time in range(500):
        action = agent.act(state)
        next_state, reward, done, _, _ = env.step(action)
        next_state = np.reshape(next_state, [1, state_size])
        agent.memory.append((state, action, reward, next_state, done))
        state = next_state
        total += reward
        if done:
            break
        if len(agent.memory) > batch_size:
            agent.replay(batch_size)
    return total
