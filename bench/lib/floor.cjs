// The floor: the least any generator does, a bare node process that reads and parses the document.
"use strict";
JSON.parse(require("node:fs").readFileSync(process.argv[2], "utf8"));
