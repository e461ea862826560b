// dist/lsp.js: the language server alone (what the VS Code extension starts), without the rest of the CLI.
import { startLanguageServer } from './main.js';

startLanguageServer();
