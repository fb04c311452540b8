import { describeEveryKind } from "./helpers/every-kind.js";

// Every kind of the newest release; the other releases are in every-kind-older.test.ts (two files, two cores).
describeEveryKind("generation for every kind of the newest release", (version, newest) => version === newest);
