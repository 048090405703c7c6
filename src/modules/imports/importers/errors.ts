/** A file that cannot be read as the format it claims: one of the platform's validation errors (422, code file_unreadable). */
export { FileFormatError } from '../../../platform/errors.js';
