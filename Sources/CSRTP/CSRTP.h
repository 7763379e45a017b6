// libsrtp2 (Debian's libsrtp2-dev): SRTP unprotect and protect for RTP captures.
#include <srtp2/srtp.h>
