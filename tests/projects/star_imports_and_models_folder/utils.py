def normalize(data):
    low, high = data.min(), data.max()
    return (data - low) / (high - low)
