# Container images FROM scratch around statically linked binaries, for the
# docker fleet (there is no registry to pull base images from, and a scratch
# image holds nothing the binary does not bring itself).
#
#   include(${PROJECT_SOURCE_DIR}/cmake/LovelessImages.cmake)
#   add_executable(demo-worker worker.cpp)
#   loveless_add_scratch_image(demo-worker loveless/demo)
#
# loveless_add_scratch_image(TARGET IMAGE) links TARGET statically (-static,
# libstdc++ and libgcc included) and adds the target TARGET_image, built with
# `all`, which runs scripts/build-images: the image IMAGE holds the binary as
# /<binary name>, its entrypoint, and is rebuilt only when the binary changed.
# Without a reachable Docker engine the image step prints why and succeeds.
#
# TARGET must link only static libraries: Debian's cpp-httplib, for one, is
# shared-only. Do not call loveless_target_settings on it: sanitizers cannot
# link statically, so this function applies the project's warning flags itself,
# without them. Under LOVELESS_BUILD_FUZZERS (global sanitizer flags) no image
# is added.
include_guard(GLOBAL)

function(loveless_add_scratch_image target image)
  if(LOVELESS_BUILD_FUZZERS)
    message(STATUS "${image}: no image in fuzzer builds (sanitizers cannot link statically)")
    return()
  endif()
  get_target_property(warning_flags loveless_build_settings INTERFACE_COMPILE_OPTIONS)
  list(FILTER warning_flags EXCLUDE REGEX "sanitize|omit-frame-pointer")
  target_compile_options(${target} PRIVATE ${warning_flags})
  target_link_options(${target} PRIVATE -static -static-libstdc++ -static-libgcc)
  add_custom_target(${target}_image ALL
    COMMAND ${PROJECT_SOURCE_DIR}/scripts/build-images $<TARGET_FILE:${target}> ${image}
    DEPENDS ${target}
    COMMENT "Image ${image} FROM scratch around ${target}"
    VERBATIM)
endfunction()
