# Container images FROM scratch around statically linked binaries, for the
# docker fleet (there is no registry to pull base images from, and a scratch
# image holds nothing the binary does not bring itself).
#
#   include(${PROJECT_SOURCE_DIR}/cmake/LovelessImages.cmake)
#   add_executable(demo-worker-static demo_worker.cpp)
#   loveless_link_static_libraries(demo-worker-static loveless::demo_app loveless::worker
#     loveless::aws)
#   loveless_add_scratch_image(demo-worker-static loveless/demo)
#
# loveless_add_scratch_image(TARGET IMAGE) links TARGET statically (-static,
# libstdc++ and libgcc included) and adds the target TARGET_image, built with
# `all`, which runs scripts/build-images: the image IMAGE holds the binary as
# /<binary name>, its entrypoint, and is rebuilt only when the binary changed.
# Without a reachable Docker engine the image step prints why and succeeds.
#
# TARGET must link only static libraries: Debian's cpp-httplib, for one, is
# shared-only (our HTTP clients in loveless::aws use Boost.Beast, header-only,
# for that reason). Do not call loveless_target_settings on it: sanitizers
# cannot link statically, so this function applies the project's warning flags
# itself, without them. Link our own libraries with
# loveless_link_static_libraries, which does the same for them. Under
# LOVELESS_BUILD_FUZZERS (global sanitizer flags) no image is added.
#
# With LOVELESS_BUILD_IMAGES=OFF (the sanitizer pass of scripts/test, which
# runs no docker test) neither the static binaries nor their images are built:
# the binaries are left out of `all` and nothing is compiled twice.
include_guard(GLOBAL)

# The project's warning flags (loveless_build_settings) without the sanitizer ones.
function(_loveless_unsanitized_flags out_var)
  get_target_property(flags loveless_build_settings INTERFACE_COMPILE_OPTIONS)
  list(FILTER flags EXCLUDE REGEX "sanitize|omit-frame-pointer")
  set(${out_var} ${flags} PARENT_SCOPE)
endfunction()

# loveless_link_static_libraries(TARGET LIBRARY...) links TARGET, a binary for
# loveless_add_scratch_image, to our static libraries (loveless::worker, ...).
# List every library of ours that TARGET reaches, directly or through another.
#
# Our libraries are static archives, so ordinarily TARGET links them as they
# are. Under LOVELESS_SANITIZE they are compiled with the sanitizer flags
# (loveless_target_settings), whose runtimes cannot be linked statically, and
# flags cannot be taken back from objects already compiled: there TARGET links
# copies, <library>_unsanitized, compiled once more from the same sources with
# the same include directories, definitions and links (a link to another
# listed library goes to its copy) and the warning flags without the
# sanitizers. Copying the targets here keeps every library's CMakeLists.txt
# free of variants, and costs the second compilation only in sanitizer builds.
# Their links are all PUBLIC: the copies serve only binaries like TARGET.
function(loveless_link_static_libraries target)
  set(libraries "")
  foreach(library IN LISTS ARGN)
    get_target_property(aliased ${library} ALIASED_TARGET)
    if(aliased)
      set(library ${aliased})
    endif()
    list(APPEND libraries ${library})
  endforeach()
  if(NOT LOVELESS_BUILD_IMAGES)
    target_link_libraries(${target} PRIVATE ${libraries})
    set_target_properties(${target} PROPERTIES EXCLUDE_FROM_ALL TRUE)
    return()
  endif()
  if(NOT LOVELESS_SANITIZE OR LOVELESS_BUILD_FUZZERS)
    target_link_libraries(${target} PRIVATE ${libraries})
    return()
  endif()
  _loveless_unsanitized_flags(warning_flags)
  foreach(library IN LISTS libraries)
    set(copy ${library}_unsanitized)
    if(NOT TARGET ${copy})
      get_target_property(sources ${library} SOURCES)
      get_target_property(source_dir ${library} SOURCE_DIR)
      list(TRANSFORM sources PREPEND "${source_dir}/" REGEX "^[^/]")
      add_library(${copy} STATIC ${sources})
      foreach(property INCLUDE_DIRECTORIES INTERFACE_INCLUDE_DIRECTORIES
                       COMPILE_DEFINITIONS INTERFACE_COMPILE_DEFINITIONS)
        get_target_property(values ${library} ${property})
        if(values)
          set_property(TARGET ${copy} PROPERTY ${property} ${values})
        endif()
      endforeach()
      get_target_property(links ${library} LINK_LIBRARIES)
      set(copy_links "")
      foreach(link IN LISTS links)
        if(TARGET ${link})
          get_target_property(aliased ${link} ALIASED_TARGET)
          if(aliased)
            set(link ${aliased})
          endif()
        endif()
        if(link STREQUAL "loveless_build_settings")
          continue()
        elseif(link IN_LIST libraries)
          set(link ${link}_unsanitized)
        endif()
        list(APPEND copy_links ${link})
      endforeach()
      target_link_libraries(${copy} PUBLIC ${copy_links})
      target_compile_options(${copy} PRIVATE ${warning_flags})
    endif()
    target_link_libraries(${target} PRIVATE ${copy})
  endforeach()
endfunction()

function(loveless_add_scratch_image target image)
  if(LOVELESS_BUILD_FUZZERS)
    message(STATUS "${image}: no image in fuzzer builds (sanitizers cannot link statically)")
    return()
  endif()
  if(NOT LOVELESS_BUILD_IMAGES)
    set_target_properties(${target} PROPERTIES EXCLUDE_FROM_ALL TRUE)
    return()
  endif()
  _loveless_unsanitized_flags(warning_flags)
  target_compile_options(${target} PRIVATE ${warning_flags})
  target_link_options(${target} PRIVATE -static -static-libstdc++ -static-libgcc)
  add_custom_target(${target}_image ALL
    COMMAND ${PROJECT_SOURCE_DIR}/scripts/build-images $<TARGET_FILE:${target}> ${image}
    DEPENDS ${target}
    COMMENT "Image ${image} FROM scratch around ${target}"
    VERBATIM)
endfunction()
