import { describeEveryKind } from "./helpers/every-kind.js";

// Every kind of the oldest release, and for those in between the kinds neither edge release has plus a sample.
describeEveryKind("generation for every kind of the older releases", (version, newest) => version !== newest);
