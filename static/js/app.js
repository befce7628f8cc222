// Site-wide behaviour. Page-specific modules live beside this file.
"use strict";
