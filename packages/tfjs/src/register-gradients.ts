// tfjs-core's Node bundle registers no gradient functions (tf.grad would fail with "gradient function not found").
// Importing its own registration module fixes that; tsup bundles this deep import (see tsup.config.ts), just as
// @tensorflow/tfjs-layers bundles it, and the registrations land in tfjs-core's global registry.
import "@tensorflow/tfjs-core/dist/register_all_gradients";

/** Marker used by modules that need autodiff: importing this file registers every tfjs-core gradient. */
export const GRADIENTS_REGISTERED = true;
