// chevrotain 11 ships as ESM only (and its @chevrotain/* parts export only an `import` condition), which the
// tsx CommonJS hook used by the unit tests cannot load. We therefore load a CommonJS bundle of the very same
// chevrotain version, typed by the real package. Regenerate after upgrading chevrotain:
//   npx esbuild node_modules/chevrotain/lib/src/api.js --bundle --format=cjs --platform=neutral \
//     --main-fields=module,main --minify --legal-comments=inline --outfile=src/language/vendor/chevrotain.cjs
import type * as Chevrotain from 'chevrotain';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const c = require('./vendor/chevrotain.cjs') as typeof Chevrotain;

export const { createToken, Lexer, EmbeddedActionsParser, EOF, tokenMatcher } = c;
export type { IToken, TokenType, IRecognitionException, IParserErrorMessageProvider, ISyntacticContentAssistPath } from 'chevrotain';
