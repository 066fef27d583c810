/** Class names of MNIST, indexed by label: the digits `"0"` … `"9"`. */
export const MNIST_CLASSES: readonly string[] = Object.freeze(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);

/** Class names of Fashion-MNIST, indexed by label (from the dataset's official documentation). */
export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze([
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
]);

/** Class names of CIFAR-10, indexed by label (as in the distribution's `batches.meta.txt`). */
export const CIFAR10_CLASSES: readonly string[] = Object.freeze([
  "airplane",
  "automobile",
  "bird",
  "cat",
  "deer",
  "dog",
  "frog",
  "horse",
  "ship",
  "truck",
]);
