/** zod with the OpenAPI metadata extension (`.openapi(...)`): every contract schema is built from this. */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export { z };
