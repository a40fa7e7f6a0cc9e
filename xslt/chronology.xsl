<?xml version="1.0" encoding="UTF-8"?>
<!-- The chronology: every dated event the documents mention, sorted, each linked to its passage. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:f="urn:teiedition:function"
  xmlns:p="urn:teiedition:private"
  xmlns:s="urn:teiedition:site"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all" expand-text="yes">

  <!-- Sort key: the earliest day an event can fall on, then the latest. -->
  <xsl:function name="p:start" as="xs:string">
    <xsl:param name="event" as="element(s:event)"/>
    <xsl:sequence select="string(($event/@when, $event/@notBefore, $event/@from, $event/@notAfter, $event/@to)[1])"/>
  </xsl:function>

  <xsl:template name="f:chronology-page">
    <xsl:variable name="events" select="$site/s:site/s:document/s:event"/>
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="'Chronology'"/>
      <xsl:with-param name="current" select="'chronology'"/>
      <xsl:with-param name="file" select="'chronology.html'"/>
      <xsl:with-param name="body">
        <h1>Chronology</h1>
        <p class="register-summary">Every date the documents mention ({count($events)}), in time order.
          Dates the documents give only approximately are shown as ranges and marked (?) where uncertain.</p>
        <xsl:for-each-group select="$events" group-by="substring(p:start(.), 1, 4)">
          <xsl:sort select="current-grouping-key()"/>
          <section class="year" aria-labelledby="year-{current-grouping-key()}">
            <h2 id="year-{current-grouping-key()}">{current-grouping-key()}</h2>
            <ol class="chronology">
              <xsl:for-each select="current-group()">
                <xsl:sort select="p:start(.)"/>
                <xsl:sort select="string((@notAfter, @to, @when)[1])"/>
                <xsl:sort select="../@position" data-type="number"/>
                <li class="{if (@when) then 'exact' else 'range'}{if (@cert = ('low', 'medium')) then ' uncertain' else ''}">
                  <span class="when">
                    <xsl:choose>
                      <xsl:when test="f:date-value(.)"><time datetime="{f:date-value(.)}">{f:date-label(.)}</time></xsl:when>
                      <xsl:otherwise>{f:date-label(.)}</xsl:otherwise>
                    </xsl:choose>
                  </span>
                  <span class="what">
                    <q>{.}</q> in
                    <a href="{f:document-href(..)}#{@passage}">{f:document-label(..)}</a>
                    <xsl:if test="@label != ''"><span class="passage-label">, {@label}</span></xsl:if>
                  </span>
                </li>
              </xsl:for-each>
            </ol>
          </section>
        </xsl:for-each-group>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>
</xsl:stylesheet>
