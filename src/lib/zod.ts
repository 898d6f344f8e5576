import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// zod 4 gives each schema its methods when it is created, so `.openapi()` exists only on schemas
// made after this call: every module imports `z` from here, never from 'zod' directly.
extendZodWithOpenApi(z);

export { z };
