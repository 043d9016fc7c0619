// One stable C surface over libgpiod (v1 or v2) and prctl, for InjectorHardware.
// Every function reports failure as NULL or -1 with errno set; none aborts.
#ifndef INJECTOR_HARDWARE_SHIM_H
#define INJECTOR_HARDWARE_SHIM_H

/// The libgpiod API this build was compiled against: 1 (Debian 12, libgpiod 1.6) or
/// 2 (Debian 13, libgpiod 2.x). The v2 build refuses to open chips (errno ENOTSUP).
int injector_gpio_api_version(void);
/// libgpiod's own version string (gpiod_version_string / gpiod_api_version).
const char *injector_gpio_library_version(void);

/// Opens a chip by name ("gpiochip0", gpiod_chip_open_by_name) or by path
/// ("/dev/gpiochip0", gpiod_chip_open). NULL + errno on failure.
void *injector_gpio_chip_open(const char *name_or_path);
void injector_gpio_chip_close(void *chip);
/// gpiod_chip_num_lines.
unsigned int injector_gpio_chip_num_lines(void *chip);

/// Bias for an input line request.
enum injector_gpio_bias {
    INJECTOR_GPIO_BIAS_AS_IS = 0,
    INJECTOR_GPIO_BIAS_DISABLE = 1,
    INJECTOR_GPIO_BIAS_PULL_UP = 2,
    INJECTOR_GPIO_BIAS_PULL_DOWN = 3,
};

/// Requests one line as an output driven to default_value (0/1) from the moment of
/// the request (gpiod_chip_get_line + gpiod_line_request_output). NULL + errno.
void *injector_gpio_request_output(void *chip, unsigned int offset, const char *consumer, int default_value);
/// Requests one line as an input (gpiod_line_request_input_flags). NULL + errno.
void *injector_gpio_request_input(void *chip, unsigned int offset, const char *consumer, int bias);
/// gpiod_line_set_value: 0 on success, -1 + errno.
int injector_gpio_set(void *line, int value);
/// gpiod_line_get_value: 0 or 1, or -1 + errno.
int injector_gpio_get(void *line);
/// gpiod_line_release: the line goes back to the kernel (input, floating: the
/// board's resistors decide its level).
void injector_gpio_release(void *line);

/// prctl(PR_SET_TIMERSLACK, ns) (prctl is variadic, so Swift cannot call it). 0 or -1 + errno.
int injector_set_timer_slack(unsigned long nanoseconds);
/// prctl(PR_GET_TIMERSLACK): the calling thread's timer slack in ns, or -1 + errno.
long injector_get_timer_slack(void);

#endif
