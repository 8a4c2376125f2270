# loveless_httplib_static_client: an interface target that makes <httplib.h>
# resolve to core/static_httplib/httplib.h, a header-only stand-in for the
# subset of cpp-httplib's client that loveless::aws and loveless::worker use.
# Only for binaries linked with -static (loveless_add_scratch_image): Debian's
# cpp-httplib is a shared library whose header holds declarations only, so it
# cannot be linked statically. Non-static targets keep PkgConfig::HTTPLIB.
include_guard(GLOBAL)

add_library(loveless_httplib_static_client INTERFACE)
target_include_directories(loveless_httplib_static_client BEFORE INTERFACE
  ${PROJECT_SOURCE_DIR}/core/static_httplib)

# The sources of `target` (a library defined elsewhere) as absolute paths, so
# another target can compile them again with different settings.
function(loveless_target_sources_absolute target out_var)
  get_target_property(sources ${target} SOURCES)
  get_target_property(source_dir ${target} SOURCE_DIR)
  set(result "")
  foreach(source IN LISTS sources)
    if(NOT IS_ABSOLUTE "${source}")
      set(source "${source_dir}/${source}")
    endif()
    list(APPEND result "${source}")
  endforeach()
  set(${out_var} ${result} PARENT_SCOPE)
endfunction()
