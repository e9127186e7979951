import { config } from 'zod';

// zod probes `new Function` when it builds object schemas; under the page's strict CSP (no
// 'unsafe-eval') that probe is reported as a CSP violation even though zod catches it. The shared
// contract builds its schemas at import time, so this module must be imported before anything else.
config({ jitless: true });
