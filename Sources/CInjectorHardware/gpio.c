// libgpiod behind one C surface. Debian 12 ships libgpiod 1.6 (the v1 API); the v1
// header defines GPIOD_LINE_BULK_MAX_LINES and the v2 header does not.
#include "injector_hardware.h"
#include <errno.h>
#include <gpiod.h>
#include <string.h>

#ifdef GPIOD_LINE_BULK_MAX_LINES
#define API 1
#else
#define API 2
#endif

int injector_gpio_api_version(void) { return API; }

#if API == 1

const char *injector_gpio_library_version(void) { return gpiod_version_string(); }

void *injector_gpio_chip_open(const char *name_or_path) {
    if (name_or_path == NULL || name_or_path[0] == '\0') { errno = EINVAL; return NULL; }
    errno = 0;
    struct gpiod_chip *chip = strchr(name_or_path, '/') != NULL
        ? gpiod_chip_open(name_or_path) : gpiod_chip_open_by_name(name_or_path);
    if (chip == NULL && errno == 0) errno = ENODEV;
    return chip;
}

void injector_gpio_chip_close(void *chip) {
    if (chip != NULL) gpiod_chip_close((struct gpiod_chip *)chip);
}

unsigned int injector_gpio_chip_num_lines(void *chip) {
    return chip == NULL ? 0 : gpiod_chip_num_lines((struct gpiod_chip *)chip);
}

static struct gpiod_line *line_at(void *chip, unsigned int offset) {
    if (chip == NULL) { errno = EINVAL; return NULL; }
    errno = 0;
    struct gpiod_line *line = gpiod_chip_get_line((struct gpiod_chip *)chip, offset);
    if (line == NULL && errno == 0) errno = EINVAL;
    return line;
}

void *injector_gpio_request_output(void *chip, unsigned int offset, const char *consumer, int default_value) {
    struct gpiod_line *line = line_at(chip, offset);
    if (line == NULL) return NULL;
    if (gpiod_line_request_output(line, consumer, default_value ? 1 : 0) != 0) return NULL;
    return line;
}

void *injector_gpio_request_input(void *chip, unsigned int offset, const char *consumer, int bias) {
    struct gpiod_line *line = line_at(chip, offset);
    if (line == NULL) return NULL;
    int flags = 0;
    switch (bias) {
    case INJECTOR_GPIO_BIAS_AS_IS: break;
    case INJECTOR_GPIO_BIAS_DISABLE: flags = GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE; break;
    case INJECTOR_GPIO_BIAS_PULL_UP: flags = GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP; break;
    case INJECTOR_GPIO_BIAS_PULL_DOWN: flags = GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN; break;
    default: errno = EINVAL; return NULL;
    }
    if (gpiod_line_request_input_flags(line, consumer, flags) != 0) return NULL;
    return line;
}

int injector_gpio_set(void *line, int value) {
    if (line == NULL) { errno = EINVAL; return -1; }
    return gpiod_line_set_value((struct gpiod_line *)line, value ? 1 : 0) == 0 ? 0 : -1;
}

int injector_gpio_get(void *line) {
    if (line == NULL) { errno = EINVAL; return -1; }
    int value = gpiod_line_get_value((struct gpiod_line *)line);
    return value < 0 ? -1 : (value ? 1 : 0);
}

void injector_gpio_release(void *line) {
    if (line != NULL) gpiod_line_release((struct gpiod_line *)line);
}

#else  // API == 2: built, but not driven. Refuse clearly instead of guessing.

const char *injector_gpio_library_version(void) { return gpiod_api_version(); }
void *injector_gpio_chip_open(const char *name_or_path) { (void)name_or_path; errno = ENOTSUP; return NULL; }
void injector_gpio_chip_close(void *chip) { (void)chip; }
unsigned int injector_gpio_chip_num_lines(void *chip) { (void)chip; return 0; }
void *injector_gpio_request_output(void *chip, unsigned int offset, const char *consumer, int default_value) {
    (void)chip; (void)offset; (void)consumer; (void)default_value; errno = ENOTSUP; return NULL;
}
void *injector_gpio_request_input(void *chip, unsigned int offset, const char *consumer, int bias) {
    (void)chip; (void)offset; (void)consumer; (void)bias; errno = ENOTSUP; return NULL;
}
int injector_gpio_set(void *line, int value) { (void)line; (void)value; errno = ENOTSUP; return -1; }
int injector_gpio_get(void *line) { (void)line; errno = ENOTSUP; return -1; }
void injector_gpio_release(void *line) { (void)line; }

#endif
