// libgpiod, v1 (Debian 12: 1.6.x) or v2 (Debian 13: 2.x).
// The v1 header defines GPIOD_LINE_BULK_MAX_LINES and the v2 header does not,
// so Swift code can ask which API it was built against.
#ifndef INJECTOR_CGPIOD_SHIM_H
#define INJECTOR_CGPIOD_SHIM_H
#include <gpiod.h>

#ifdef GPIOD_LINE_BULK_MAX_LINES
#define INJECTOR_GPIOD_API_VERSION 1
#else
#define INJECTOR_GPIOD_API_VERSION 2
#endif

static inline int injector_gpiod_api_version(void) { return INJECTOR_GPIOD_API_VERSION; }
#endif
