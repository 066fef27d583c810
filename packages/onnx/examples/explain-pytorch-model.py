# Export a PyTorch model to ONNX for @smoothhess/onnx (README: "Explain a PyTorch model").
import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(  # a small MNIST CNN; use your own trained model instead
    nn.Conv2d(1, 8, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(8, 16, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(16 * 7 * 7, 64), nn.ReLU(), nn.Linear(64, 10),
)
# model.load_state_dict(torch.load("mnist-cnn.pt"))  # your trained weights
model.eval()  # inference mode: batch norm uses running statistics, dropout is off

torch.onnx.export(
    model,
    torch.zeros(1, 1, 28, 28),  # an example input: fixes every axis but the batch
    "mnist-cnn.onnx",
    input_names=["image"],
    output_names=["logits"],
    dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}},
    opset_version=17,
)
