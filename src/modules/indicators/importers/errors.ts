/** A file that cannot be read as the format it claims: the message says what is wrong with it. */
export class FileFormatError extends Error {}
