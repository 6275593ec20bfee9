export { Asker, InitInputError, type LineReader, type Question } from './asker.js';
export { terminalReader } from './terminal.js';
export { planInit, type InitDeps, type InitPlan, type SignInRequest } from './wizard.js';
export { writePlan } from './write.js';
