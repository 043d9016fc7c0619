// libserialport (Debian: libserialport-dev). Real ports only: it refuses ptys.
#ifndef INJECTOR_CSERIALPORT_SHIM_H
#define INJECTOR_CSERIALPORT_SHIM_H
#include <libserialport.h>
#endif
