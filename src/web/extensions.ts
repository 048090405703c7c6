// The extension slots are defined in platform (modules and web both use them); re-exported for web code.
export { createExtensions, type Extensions, type OrganisationSection } from '../platform/http.js';
