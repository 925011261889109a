import discord
import numpy as np

from classifier import Classifier

client = discord.Client(intents=discord.Intents.default())
classifier = Classifier("astolfo.keras")


@client.event
async def on_ready():
    # once, when the bot connects: a warm-up call is fine
    classifier.model.predict(np.zeros((1, 160, 160, 3)), verbose=0)


@client.event
async def on_message(message):
    image = np.frombuffer(await message.attachments[0].read(), dtype=np.uint8)
    await message.channel.send(str(classifier.label(image)))


client.run("token")
