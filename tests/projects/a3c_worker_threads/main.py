from networks import actor_network
from worker import Worker

actor = actor_network(4, 2)
workers = [Worker(actor, 4, 2) for _ in range(8)]
for worker in workers:
    worker.start()
for worker in workers:
    worker.join()
