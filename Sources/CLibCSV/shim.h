// libcsv ships no pkg-config file on Debian; the header is found on the default include path.
#include <csv.h>
