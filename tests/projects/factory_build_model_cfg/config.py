from dataclasses import dataclass


@dataclass
class Config:
    hidden_units: int = 1024
    dropout: float = 0.2
    learning_rate: float = 1e-3
