// A small, safe expression language over the simulator's state, for conditional breakpoints, the debug
// console, hover and watch: `Normal.free < 1000`, `node 1 Movable.managed == 0`, `page 0x10010 == pcp`,
// `pageblock 0x40000 == isolate`, `last.errno == EBUSY`, `r.reason contains "pcp"`, combined with && || !.
// Tokenizer + recursive-descent parser + tree-walking evaluator: no eval, no Function, no property access
// outside the fields listed here. Errors are ExprError (with a message for the user), never crashes.
// Values (exprValues.ts), parser (exprParse.ts) and evaluator (exprEval.ts); this module is their one entry point.
export * from './exprValues.js';
export * from './exprParse.js';
export * from './exprEval.js';
