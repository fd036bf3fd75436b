# Install rules: the static libraries, their public headers, the tools, a CMake
# package (find_package(picsec CONFIG) -> picsec::ike, ...) and picsec.pc.
# Only targets that exist in every configuration (tests and fuzz off or on).
include(CMakePackageConfigHelpers)

set(PICSEC_INSTALL_LIBRARIES picsec_base picsec_sadb picsec_pic picsec_config picsec_ike_codec picsec_ike_crypto
    picsec_ike_negotiation picsec_ike)
install(TARGETS ${PICSEC_INSTALL_LIBRARIES} EXPORT picsecTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
foreach(dir libbase libsadb libpic libconfig libike)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endforeach()
install(TARGETS picsec ike-peer RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/docs/man/picsec.1 ${PROJECT_SOURCE_DIR}/docs/man/ike-peer.1
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

set(PICSEC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/picsec)
install(EXPORT picsecTargets NAMESPACE picsec:: DESTINATION ${PICSEC_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/picsecConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/picsecConfig.cmake INSTALL_DESTINATION ${PICSEC_CMAKE_DIR})
# 0.x: a new minor version may change the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/picsecConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/picsecConfig.cmake ${PROJECT_BINARY_DIR}/picsecConfigVersion.cmake
        DESTINATION ${PICSEC_CMAKE_DIR})

# picsec.pc: the libraries in link order (each before what it needs). The
# prefix is found from the .pc file's own place, so `cmake --install --prefix`
# and a moved tree both work.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(PICSEC_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(PICSEC_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  file(RELATIVE_PATH PICSEC_PC_UP "/root/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/root")
  string(REGEX REPLACE "/$" "" PICSEC_PC_UP "${PICSEC_PC_UP}")
  set(PICSEC_PC_PREFIX "\${pcfiledir}/${PICSEC_PC_UP}")
  set(PICSEC_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(PICSEC_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(PICSEC_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/picsec.pc.in ${PROJECT_BINARY_DIR}/picsec.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/picsec.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
