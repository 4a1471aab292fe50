// The grammar has one source, editor-support/textmate/perwal.tmLanguage.json;
// the extension carries a copy made here (before packaging and testing), never
// one edited by hand.
"use strict";
const fs = require("fs");
const path = require("path");

const from = path.join(__dirname, "..", "..", "textmate", "perwal.tmLanguage.json");
const to = path.join(__dirname, "..", "syntaxes", "perwal.tmLanguage.json");
JSON.parse(fs.readFileSync(from, "utf8")); // a broken grammar fails here, by name
fs.mkdirSync(path.dirname(to), { recursive: true });
fs.copyFileSync(from, to);
