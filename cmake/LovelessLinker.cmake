# Links with LLD when the compiler can (scripts/setup installs lld): the
# project's many test executables link the same static libraries, and on a
# two-core CI machine GNU ld spent minutes on it (under the sanitizers, with
# their runtimes, several seconds per executable; LLD takes about a quarter
# of GNU ld's time, docs/development.md). Without lld GNU ld links as before.
include_guard(GLOBAL)
include(CheckLinkerFlag)

option(LOVELESS_USE_LLD "Link with LLD (-fuse-ld=lld) when the compiler supports it"
       ${PROJECT_IS_TOP_LEVEL})
if(LOVELESS_USE_LLD)
  check_linker_flag(CXX "-fuse-ld=lld" LOVELESS_LINKER_LLD)
  if(LOVELESS_LINKER_LLD)
    add_link_options(-fuse-ld=lld)
  endif()
endif()
