// chevrotain 11 ships as ESM only (its @chevrotain/* parts export only an `import` condition), which the
// CommonJS code run by mocha/tsx cannot `require`. `npm install` (postinstall) bundles the installed
// chevrotain into src/language/vendor/chevrotain.cjs (scripts/bundle-chevrotain.mjs); types come from the
// real package.
import type * as Chevrotain from 'chevrotain';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const c = require('./vendor/chevrotain.cjs') as typeof Chevrotain;

export const { createToken, Lexer, EmbeddedActionsParser, EOF, tokenMatcher, NoViableAltException, EarlyExitException } = c;
export type { IToken, TokenType, IRecognitionException, IParserErrorMessageProvider, ISyntacticContentAssistPath } from 'chevrotain';
