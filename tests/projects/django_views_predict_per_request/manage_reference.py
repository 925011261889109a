from deeplearning_api.views import load_reference

print(load_reference())
