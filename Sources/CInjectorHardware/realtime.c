// prctl is variadic and not imported into Swift; these two calls wrap it.
#include "injector_hardware.h"
#include <sys/prctl.h>

int injector_set_timer_slack(unsigned long nanoseconds) {
    return prctl(PR_SET_TIMERSLACK, nanoseconds, 0, 0, 0) == 0 ? 0 : -1;
}

long injector_get_timer_slack(void) {
    int value = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
    return value < 0 ? -1 : (long)value;
}
